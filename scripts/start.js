// `npm start`: the whole backend on this machine: the Emulator Suite with seed data (every emulator that can run
// here) and the MQTT bridge with an embedded broker when no broker URL is configured. Ctrl-C stops everything.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const net = require("node:net");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { emulatorArgs, emulatorPlan, missingEmulatorsParagraph } = require("./lib/emulators");
const setup = require("./lib/setup");

const embeddedBroker = !process.env.MQTT_URL;
// Checked before anything starts: the bridge would only fail later, with the emulators already up.
if (!embeddedBroker && !process.env.MQTT_USERNAME && !/\/\/[^/@]+@/.test(process.env.MQTT_URL)) {
  console.error("MQTT_URL is set without credentials: set MQTT_USERNAME and MQTT_PASSWORD (the broker takes no anonymous clients).");
  process.exit(2);
}

setup.ensureDependencies();
setup.ensureLocalSecrets();
setup.buildDeployUnits();

const plan = emulatorPlan();
const pubsub = plan.only.includes("pubsub");
const firebase = path.join(setup.BIN, "firebase");
const paragraph = missingEmulatorsParagraph(
  plan,
  "Functions triggered by what is missing are not loaded; everything else runs against the emulators listed above.",
);
console.log(`\nStarting the emulators this machine can run: ${plan.only.join(", ")}.`);
if (paragraph) console.log(`${paragraph}\n`);

const children = [];
/** Starts a child; a long-running one ending stops everything, a one-shot one only when it fails. */
function launch(name, cmd, cmdArgs, { env = {}, oneShot = false } = {}) {
  // Own process group: a terminal Ctrl-C reaches only this script, which then asks each child once to stop, instead
  // of every child getting the signal twice and abandoning its clean shutdown.
  const child = spawn(cmd, cmdArgs, { cwd: setup.ROOT, stdio: "inherit", env: { ...process.env, ...env }, detached: true });
  child.on("exit", (code, signal) => {
    if (oneShot && code === 0) return;
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the rest.`);
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGINT");
  // Emulators export nothing on exit and shut down within seconds; never hang the terminal on a stuck child.
  setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    process.exit(code);
  }, 15_000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null))).then(() =>
    process.exit(code),
  );
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

launch("Emulator Suite", firebase, emulatorArgs(plan, "start", setup.PROJECT, "--import", "emulators/seed"), { env: plan.env });

// Against the emulator no Google credentials exist; without this the auth library probes the GCE metadata server at
// every client start and prints a MetadataLookupWarning that means nothing locally.
const localPubsubEnv = { PUBSUB_EMULATOR_HOST: "127.0.0.1:8085", PUBSUB_PROJECT_ID: setup.PROJECT, METADATA_SERVER_DETECTION: "none" };
const bridgeEnv = {
  // 8080 is the Firestore emulator's port.
  PORT: process.env.PORT ?? "8095",
  BRIDGE_HTTP_HOST: "127.0.0.1",
  ...(embeddedBroker ? { BRIDGE_EMBEDDED_BROKER: "1" } : {}),
  ...(pubsub
    ? localPubsubEnv
    : { BRIDGE_PUBSUB: "memory" }),
};
console.log(
  `MQTT bridge: ${embeddedBroker ? "embedded aedes broker on mqtt://127.0.0.1:1883 (no anonymous clients; devices sign in with the local accounts of emulators/README.md)" : `broker ${process.env.MQTT_URL}`}, ` +
    (pubsub
      ? "Pub/Sub emulator on 127.0.0.1:8085."
      : "in-memory Pub/Sub (the Pub/Sub emulator is skipped, so MQTT messages are accepted and logged but reach no function)."),
);
const bridgeMain = path.join(setup.BRIDGE, "lib", "main.js");
if (pubsub) {
  waitForPort(8085, 120_000).then(
    () => {
      const topics = launch("Pub/Sub topics", process.execPath, [path.join(setup.ROOT, "emulators", "pubsub-topics.js")], {
        env: localPubsubEnv,
        oneShot: true,
      });
      topics.once("exit", (code) => {
        if (code === 0) launch("MQTT bridge", process.execPath, [bridgeMain], { env: bridgeEnv });
      });
    },
    (err) => console.error(`Pub/Sub emulator did not come up: ${err.message}`),
  );
} else {
  launch("MQTT bridge", process.execPath, [bridgeMain], { env: bridgeEnv });
}

/** Resolves once something listens on 127.0.0.1:port, polling every 500 ms until the deadline. */
function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listening on ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 500);
      });
    };
    attempt();
  });
}
