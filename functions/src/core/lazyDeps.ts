/**
 * A trigger group's ports. In production each port is built the first time a handler reads it and kept for the
 * instance's lifetime: loading the module (deploy discovery, every cold start) builds nothing, and a trigger that
 * reads only the store never builds Pub/Sub, the alerter or the weather client. A test installs fakes instead.
 */
export interface LazyDeps<T> {
  /** The installed fakes, else the production ports. */
  get: () => T;
  /** Test seam: install fakes, then reset with `undefined`. */
  set: (deps: T | undefined) => void;
}

/** One builder per port; a builder may read the other ports (the alerter publishes through the outbound port). */
export type PortBuilders<T> = { [K in keyof T]-?: (ports: T) => T[K] };

export function lazyDeps<T extends object>(builders: PortBuilders<T>): LazyDeps<T> {
  const production = {} as T;
  for (const key of Object.keys(builders) as (keyof T & string)[]) {
    let built: { port: T[typeof key] } | undefined;
    Object.defineProperty(production, key, { enumerable: true, get: () => (built ??= { port: builders[key](production) }).port });
  }
  let override: T | undefined;
  return {
    get: () => override ?? production,
    set: (deps) => {
      override = deps;
    },
  };
}
