/**
 * A mocha root-hook plugin (loaded with --require before any spec): structured log lines, the JSON that
 * firebase-functions' logger and the bridge write, are held back while a test runs and printed only when it fails,
 * so a passing run shows the specs and what tests print on purpose, and a failure still shows every log line.
 * It must load before firebase-functions/logger, which keeps its own reference to the console methods.
 */
import type { Context } from "mocha";

type Method = "debug" | "info" | "log" | "warn" | "error";
const METHODS: Method[] = ["debug", "info", "log", "warn", "error"];
const original = Object.fromEntries(METHODS.map((m) => [m, console[m].bind(console)])) as Record<Method, (...args: unknown[]) => void>;
const isLogLine = (args: unknown[]) => args.length === 1 && typeof args[0] === "string" && /^\{".*"severity":/.test(args[0]);

let held: { method: Method; line: string }[] = [];
for (const method of METHODS) {
  console[method] = (...args: unknown[]) => {
    if (isLogLine(args)) held.push({ method, line: args[0] as string });
    else original[method](...args);
  };
}

/** The structured log lines written so far by the running test, parsed: for tests that assert on logs. */
export function loggedEntries(): Record<string, unknown>[] {
  return held.map(({ line }) => JSON.parse(line) as Record<string, unknown>);
}

export const mochaHooks = {
  beforeEach(): void {
    held = [];
  },
  afterEach(this: Context): void {
    if (this.currentTest?.state === "failed") for (const { method, line } of held) original[method](line);
    held = [];
  },
};
