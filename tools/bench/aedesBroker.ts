/**
 * aedes in a child Node process, so the benchmark measures it as deployed: a broker with its own event loop, not
 * one shared with the clients and the bridge under test. Run as a script, this module is the child: it serves on a
 * free loopback port, reports that port over IPC, and exits on SIGTERM or when its parent goes away.
 */
import { fork } from "node:child_process";
import { startEmbeddedBroker } from "../../bridge/src/embeddedBroker";
import { exited } from "./childExit";

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

export interface ChildBroker {
  url: string;
  stop(): Promise<void>;
}

export async function startAedesProcess(): Promise<ChildBroker> {
  const child = fork(__filename, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const killOnExit = () => void child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async (): Promise<void> => {
    if (!(await exited(child, 0))) {
      child.kill("SIGTERM");
      if (!(await exited(child, STOP_TIMEOUT_MS))) {
        child.kill("SIGKILL");
        await exited(child, STOP_TIMEOUT_MS);
      }
    }
    process.off("exit", killOnExit);
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`aedes child not listening after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`aedes child exited before listening (code ${code}, signal ${signal})`));
      });
      child.once("message", (message: unknown) => {
        clearTimeout(timer);
        const port = (message as { port?: unknown } | null)?.port;
        if (typeof port === "number" && Number.isInteger(port) && port > 0) resolve(port);
        else reject(new Error(`aedes child sent an unexpected message: ${JSON.stringify(message)}`));
      });
    });
    return { url: `mqtt://127.0.0.1:${port}`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function serve(): Promise<void> {
  const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
  const close = () => void broker.close().finally(() => process.exit(0));
  process.once("SIGTERM", close);
  process.once("disconnect", close);
  process.send?.({ port: broker.port });
}

if (require.main === module) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
