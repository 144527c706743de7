/** Waiting for the child processes the benchmarks start (brokers, the Pub/Sub emulator) without waiting forever. */
import type { ChildProcess } from "node:child_process";

/** Resolves true once `child` has exited, or false after `timeoutMs` if it has not. */
export function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
