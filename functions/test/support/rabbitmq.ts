/**
 * A throwaway RabbitMQ node with the MQTT plugin, as DESIGN.md section 4 describes: its own state directory, its
 * own Erlang cookie (HOME), loopback-only listeners on free ports, and the `webos.topic` exchange declared by a
 * definitions file before any listener opens. `stop()` ends the node and the epmd started for it.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, connect as tcpConnect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const BIN = "/usr/lib/rabbitmq/bin";

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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** RabbitMQ's `rabbit_password_hashing_sha256`: base64(salt ‖ sha256(salt ‖ password)). */
function passwordHash(password: string): string {
  const salt = randomBytes(4);
  const digest = createHash("sha256").update(Buffer.concat([salt, Buffer.from(password, "utf8")])).digest();
  return Buffer.concat([salt, digest]).toString("base64");
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: timeoutMs }, (err, _stdout, stderr) => (err ? reject(new Error(`${command} ${args.join(" ")}: ${err.message} ${stderr}`)) : resolve()));
  });
}

async function waitForPort(port: number, timeoutMs: number, exited: () => boolean, what = "rabbitmq-server"): Promise<void> {
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

export async function startRabbitMq(): Promise<RabbitMq> {
  const base = mkdtempSync(path.join(tmpdir(), "wolley-rabbitmq-"));
  const [amqpPort, mqttPort, distPort, epmdPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const definitions = path.join(base, "definitions.json");
  writeFileSync(
    definitions,
    JSON.stringify({
      users: [{ name: "guest", password_hash: passwordHash("guest"), hashing_algorithm: "rabbit_password_hashing_sha256", tags: ["administrator"] }],
      vhosts: [{ name: "/" }],
      permissions: [{ user: "guest", vhost: "/", configure: ".*", write: ".*", read: ".*" }],
      exchanges: [{ name: "webos.topic", vhost: "/", type: "topic", durable: true, auto_delete: false, internal: false, arguments: {} }],
    }),
  );
  const config = path.join(base, "rabbitmq.conf");
  writeFileSync(
    config,
    [
      `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
      `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
      "mqtt.allow_anonymous = true",
      "mqtt.default_user = guest",
      "mqtt.default_pass = guest",
      "mqtt.exchange = webos.topic",
      `load_definitions = ${definitions}`,
      "",
    ].join("\n"),
  );
  const plugins = path.join(base, "enabled_plugins");
  writeFileSync(plugins, "[rabbitmq_mqtt].\n");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: base,
    RABBITMQ_CONFIG_FILE: config,
    RABBITMQ_ENABLED_PLUGINS_FILE: plugins,
    RABBITMQ_MNESIA_BASE: path.join(base, "mnesia"),
    RABBITMQ_LOG_BASE: path.join(base, "log"),
    RABBITMQ_NODENAME: `wolley${process.pid}@localhost`,
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
  };

  // Our own foreground epmd, so this process can end and reap it (a daemonised one would linger as a zombie).
  const epmd = spawn("epmd", ["-port", String(epmdPort)], { stdio: "ignore" });
  const epmdGone = new Promise<void>((resolve) => epmd.once("exit", () => resolve()));
  epmd.once("error", () => undefined);
  let child: ChildProcess | undefined;
  let exited = true;
  const startNode = async () => {
    const proc = spawn(path.join(BIN, "rabbitmq-server"), [], { env, stdio: "ignore" });
    child = proc;
    exited = false;
    proc.once("exit", () => {
      if (child === proc) exited = true;
    });
    await waitForPort(mqttPort, 60_000, () => exited);
  };
  const stopNode = async () => {
    if (exited) return;
    const proc = child;
    const gone = new Promise<void>((resolve) => (proc && proc.exitCode === null ? proc.once("exit", () => resolve()) : resolve()));
    await run(path.join(BIN, "rabbitmqctl"), ["stop"], env, 60_000).catch(() => proc?.kill("SIGKILL"));
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  };

  const endEpmd = async () => {
    epmd.kill("SIGTERM");
    await Promise.race([epmdGone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  };
  try {
    await waitForPort(epmdPort, 10_000, () => epmd.exitCode !== null, "epmd");
    await startNode();
  } catch (err) {
    await stopNode().catch(() => undefined);
    await endEpmd();
    throw err;
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
