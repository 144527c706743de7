import { InMemoryGpsStore } from "../gps/memoryStore";
import type { ApiDeps } from "../../src/api/routes";
import { InMemoryInstallationStore } from "../notifications/memoryStore";
import { FakeFcm } from "./fakeFcm";

/**
 * The api's dependencies with in-memory stores, shared by every api test (fuzz, emulator, route tests). Adding a
 * field to `ApiDeps` means adding its in-memory implementation to `stores` below; nothing else changes.
 *
 * Every object-valued dependency is wrapped so that each method call that changes the store's state counts as a
 * write: the fuzz test asserts that no refused request wrote anything. "Changed" is judged on a fingerprint of the
 * store's own properties (Maps, Sets, arrays, objects, typed arrays, primitives) taken before and after the call,
 * so reads, and writes that turn out to be no-ops (deleting what is not there), do not count. State kept in
 * `#private` fields is invisible to it: in-memory stores keep theirs in ordinary (TypeScript-private) properties.
 */
interface WriteLog {
  /** Writes so far, across every store. */
  count(): number;
  /** `store.method` of every write so far, oldest first. */
  calls(): readonly string[];
}

export interface InMemoryApiDepsOptions {
  now?: () => number;
  /** The FCM the registry subscribes tokens with; one is created when omitted. */
  fcm?: FakeFcm;
}

export interface InMemoryApiDeps {
  deps: ApiDeps;
  writes: WriteLog;
  /** The unwrapped stores, for arranging state and asserting on it without counting writes. */
  stores: { installations: InMemoryInstallationStore; topics: FakeFcm; gps: InMemoryGpsStore };
}

export function inMemoryApiDeps(options: InMemoryApiDepsOptions = {}): InMemoryApiDeps {
  const stores = {
    installations: new InMemoryInstallationStore(),
    topics: options.fcm ?? new FakeFcm(),
    gps: new InMemoryGpsStore(),
  };
  const log: string[] = [];
  const deps: ApiDeps = {
    now: options.now ?? (() => Date.parse("2026-11-26T12:00:00.000Z")),
    ...countingAll(stores, log),
  };
  return { deps, writes: { count: () => log.length, calls: () => [...log] }, stores };
}

function countingAll<T extends Record<string, object>>(stores: T, log: string[]): T {
  const wrapped: Record<string, object> = {};
  for (const [name, store] of Object.entries(stores)) wrapped[name] = counting(name, store, log);
  return wrapped as T;
}

function counting<T extends object>(storeName: string, store: T, log: string[]): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      const method = value as (...a: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const before = fingerprint(target);
        const record = (): void => {
          if (fingerprint(target) !== before) log.push(`${storeName}.${property}`);
        };
        const result = method.apply(target, args);
        if (result instanceof Promise) return result.finally(record);
        record();
        return result;
      };
    },
  });
}

/** A canonical rendering of a value's data: equal strings mean equal state. */
export function fingerprint(value: unknown, seen = new WeakSet<object>()): string {
  if (value === null || typeof value !== "object") {
    return typeof value === "function" ? "fn" : typeof value === "bigint" ? `${value}n` : JSON.stringify(value) ?? String(value);
  }
  if (seen.has(value)) return "cycle";
  seen.add(value);
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (ArrayBuffer.isView(value)) return `bytes(${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64")})`;
  if (value instanceof Map) {
    const entries = [...value.entries()].map(([k, v]) => `${fingerprint(k, seen)}=>${fingerprint(v, seen)}`).sort();
    return `Map{${entries.join(",")}}`;
  }
  if (value instanceof Set) return `Set{${[...value].map((v) => fingerprint(v, seen)).sort().join(",")}}`;
  if (Array.isArray(value)) return `[${value.map((v) => fingerprint(v, seen)).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${fingerprint((value as Record<string, unknown>)[k], seen)}`).join(",")}}`;
}
