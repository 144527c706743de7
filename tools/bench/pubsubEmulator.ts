/**
 * The Google Cloud Pub/Sub emulator on a free loopback port of its own, for the bridge benchmark. What can run it
 * (a JDK, firebase-tools' cached emulator or a Google Cloud SDK's) is found by scripts/lib/emulators.js, the same
 * discovery `npm test` and `npm start` use; nothing is downloaded. Every wait is bounded, and a failed start says
 * why with the end of the emulator's output instead of throwing, so the benchmark can go on without it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { freePort, waitForPort } from "../../bridge/test/support/rabbitmq";
import { exited } from "./childExit";

const ROOT = path.resolve(__dirname, "../../../..");
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_KEPT = 2_000;

/** What this file needs of scripts/lib/emulators.js, which is plain JavaScript. */
interface EmulatorsModule {
  emulatorPlan(): {
    env: Record<string, string>;
    missing: { name: string; why: string }[];
    binaries: { pubsub?: string };
  };
}

export interface PubsubEmulator {
  /**
   * The environment a Google Pub/Sub client reads when it is created: the emulator's address, and, as `npm start`
   * sets for local clients, no probing of a metadata server that is not there.
   */
  clientEnv: { PUBSUB_EMULATOR_HOST: string; METADATA_SERVER_DETECTION: string };
  stop(): Promise<void>;
}

export type PubsubEmulatorStart = { ok: true; emulator: PubsubEmulator } | { ok: false; why: string };

/** Signals the emulator's whole process group: the SDK's script execs Java, firebase-tools' cached one may not. */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, name);
  } catch {
    // Already gone.
  }
}

export async function startPubsubEmulator(): Promise<PubsubEmulatorStart> {
  const emulators = (await import(path.join(ROOT, "scripts", "lib", "emulators.js"))) as EmulatorsModule;
  const plan = emulators.emulatorPlan();
  const binary = plan.binaries.pubsub;
  if (!binary) return { ok: false, why: plan.missing.find((m) => m.name === "Pub/Sub")?.why ?? "no Pub/Sub emulator found" };

  const port = await freePort();
  const child = spawn(binary, ["--host=127.0.0.1", `--port=${port}`], {
    env: { ...process.env, ...plan.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
  });
  const killOnExit = () => signal(child, "SIGKILL");
  process.once("exit", killOnExit);
  const stop = async (): Promise<void> => {
    if (!(await exited(child, 0))) {
      signal(child, "SIGTERM");
      if (!(await exited(child, STOP_TIMEOUT_MS))) {
        signal(child, "SIGKILL");
        await exited(child, STOP_TIMEOUT_MS);
      }
    }
    process.off("exit", killOnExit);
  };
  try {
    await waitForPort(port, START_TIMEOUT_MS, () => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null, "the Pub/Sub emulator");
  } catch (err) {
    await stop();
    const reason = spawnError?.message ?? (err instanceof Error ? err.message : String(err));
    const tail = output.trim().split("\n").slice(-3).join(" | ");
    return { ok: false, why: `${binary} did not start: ${reason}${tail ? ` (output: ${tail})` : ""}` };
  }
  return { ok: true, emulator: { clientEnv: { PUBSUB_EMULATOR_HOST: `127.0.0.1:${port}`, METADATA_SERVER_DETECTION: "none" }, stop } };
}
