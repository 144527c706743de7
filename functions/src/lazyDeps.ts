/**
 * A trigger group's ports: built on first use (so loading the module for deploy discovery stays cheap) and kept for
 * the instance's lifetime, unless a test has installed its own.
 */
export interface LazyDeps<T> {
  /** The installed test ports, else the production ones. */
  get: () => T;
  /** Test seam: install fakes, then reset with `undefined`. */
  set: (deps: T | undefined) => void;
}

export function lazyDeps<T>(buildProduction: () => T): LazyDeps<T> {
  let production: T | undefined;
  let override: T | undefined;
  return {
    get: () => override ?? (production ??= buildProduction()),
    set: (deps) => {
      override = deps;
    },
  };
}
