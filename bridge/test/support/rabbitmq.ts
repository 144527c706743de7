/**
 * A throwaway RabbitMQ node with the MQTT plugin, as DESIGN.md section 4 describes: its own state directory, its
 * own Erlang cookie (HOME), loopback-only listeners on free ports, no anonymous MQTT clients, and the committed
 * `emulators/broker/definitions.json` (the `webos.topic` exchange, the local users and their topic permissions).
 * Nothing of a system-wide install is used (not its service, cookie, epmd or data), so it
 * works right after `apt-get install` and next to a running system broker. `stop()`, or a failed start, ends the
 * node and the epmd started for it and removes the state directory.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, connect as tcpConnect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const BIN = "/usr/lib/rabbitmq/bin";
/** The repository's own local broker definitions, so the tests prove the file operators are told to use. */
const DEFINITIONS = path.resolve(__dirname, "../../../../../emulators/broker/definitions.json");

/** Why RabbitMQ tests cannot run here, or undefined when they can. */
export function rabbitmqUnavailable(): string | undefined {
  if (!existsSync(path.join(BIN, "rabbitmq-server"))) return `rabbitmq-server is not installed (${BIN}/rabbitmq-server missing; apt-get install rabbitmq-server)`;
  if (process.getuid?.() !== 0) return "rabbitmq-server must be started as root here";
  return undefined;
}

export interface RabbitMq {
  mqttUrl: string;
  /** Stops the node keeping its state (durable queues, persistent messages), like a broker crash-restart. */
  stopNode(): Promise<void>;
  startNode(): Promise<void>;
  /** Stops the node and its epmd, and removes the state directory. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: timeoutMs }, (err, _stdout, stderr) => (err ? reject(new Error(`${command} ${args.join(" ")}: ${err.message} ${stderr}`)) : resolve()));
  });
}

export async function waitForPort(port: number, timeoutMs: number, exited: () => boolean, what = "rabbitmq-server"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`${what} exited before port ${port} opened`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} not listening on ${port} after ${timeoutMs} ms`);
}

/** Resolves false after `ms`, without keeping the process alive for it. */
function within(ms: number): Promise<false> {
  return new Promise((resolve) => setTimeout(() => resolve(false), ms).unref());
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

export async function startRabbitMq(): Promise<RabbitMq> {
  const base = mkdtempSync(path.join(tmpdir(), "wolley-rabbitmq-"));
  const [amqpPort, mqttPort, distPort, epmdPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const config = path.join(base, "rabbitmq.conf");
  writeFileSync(
    config,
    [
      `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
      `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
      "mqtt.allow_anonymous = false",
      "mqtt.exchange = webos.topic",
      "mqtt.prefetch = 1000",
      `load_definitions = ${DEFINITIONS}`,
      "",
    ].join("\n"),
  );
  const plugins = path.join(base, "enabled_plugins");
  writeFileSync(plugins, "[rabbitmq_mqtt].\n");
  const nodeName = `wolley${process.pid}@localhost`;
  const vmPidFile = path.join(base, "mnesia", `${nodeName}.pid`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: base,
    RABBITMQ_CONFIG_FILE: config,
    // Paths that do not exist, so nothing under /etc/rabbitmq (an operator's env file or advanced.config) applies.
    RABBITMQ_CONF_ENV_FILE: path.join(base, "rabbitmq-env.conf"),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(base, "advanced.config"),
    RABBITMQ_ENABLED_PLUGINS_FILE: plugins,
    RABBITMQ_MNESIA_BASE: path.join(base, "mnesia"),
    RABBITMQ_LOG_BASE: path.join(base, "log"),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
  };

  // Our own foreground epmd, so this process can end and reap it (a daemonised one would linger as a zombie).
  const epmd = spawn("epmd", ["-port", String(epmdPort)], { stdio: "ignore" });
  const epmdGone = new Promise<void>((resolve) => epmd.once("exit", () => resolve()));
  let epmdFailed = false;
  epmd.once("error", () => (epmdFailed = true));
  let child: ChildProcess | undefined;
  let exited = true;
  const startNode = async () => {
    // A pid file left by the previous incarnation must never lead stopNode to kill a process that reused that pid.
    rmSync(vmPidFile, { force: true });
    const proc = spawn(path.join(BIN, "rabbitmq-server"), [], { env, stdio: "ignore" });
    child = proc;
    exited = false;
    proc.once("exit", () => {
      if (child === proc) exited = true;
    });
    // The MQTT listener opens before the definitions are imported (until then the broker knows no user and has no
    // `webos.topic`); the AMQP listener opens only after the import, so both being up means the node is usable.
    await waitForPort(mqttPort, 60_000, () => exited);
    await waitForPort(amqpPort, 30_000, () => exited);
  };
  const stopNode = async () => {
    if (exited) return;
    const proc = child;
    const gone = new Promise<boolean>((resolve) => (proc && proc.exitCode === null && proc.signalCode === null ? proc.once("exit", () => resolve(true)) : resolve(true)));
    const stopped = await run(path.join(BIN, "rabbitmqctl"), ["stop"], env, 60_000).then(
      () => true,
      () => false,
    );
    if (stopped && (await Promise.race([gone, within(30_000)]))) return;
    // rabbitmq-server is a shell waiting on the Erlang VM: killing only the shell would leave the VM running.
    const vmPid = Number(readOr(vmPidFile, "").trim());
    if (Number.isInteger(vmPid) && vmPid > 0) killQuietly(vmPid);
    proc?.kill("SIGKILL");
    await Promise.race([gone, within(10_000)]);
  };

  const endEpmd = async () => {
    epmd.kill("SIGTERM");
    await Promise.race([epmdGone, within(5_000)]);
  };
  try {
    await waitForPort(epmdPort, 10_000, () => epmdFailed || epmd.exitCode !== null, "epmd");
    await startNode();
  } catch (err) {
    // The end of the node's log, so a start that failed on a CI machine says why.
    const tail = readOr(path.join(base, "log", `${nodeName}.log`), "(no log written)").split("\n").slice(-15).join("\n");
    await stopNode().catch(() => undefined);
    await endEpmd();
    rmSync(base, { recursive: true, force: true });
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${tail}`);
  }
  return {
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    startNode,
    stopNode,
    async stop() {
      await stopNode();
      await endEpmd();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
