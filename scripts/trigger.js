// `npm run trigger -- <function> [json]`: runs one scheduled or task-queue function now, against the local suite
// that `npm start` runs. The Functions emulator never runs schedules by itself; it serves a scheduled function at its
// trigger key `<name>-0`, which gets the HTTP request Cloud Scheduler would send. A task-queue function gets one task
// with the given JSON payload, as Cloud Tasks delivers it.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const fs = require("node:fs");
const path = require("node:path");
const setup = require("./lib/setup");

const config = JSON.parse(fs.readFileSync(path.join(setup.ROOT, "firebase.json"), "utf8")).emulators;
const [name, payload = "{}"] = process.argv.slice(2);

function manifest() {
  const { execFileSync } = require("node:child_process");
  const out = path.join(require("node:os").tmpdir(), `wolley-manifest-${process.pid}.json`);
  const sdkMain = require.resolve("firebase-functions", { paths: [setup.FUNCTIONS] });
  const bin = path.join(sdkMain.slice(0, sdkMain.lastIndexOf("firebase-functions") + "firebase-functions".length), "lib/bin/firebase-functions.js");
  execFileSync(process.execPath, [bin], { cwd: setup.FUNCTIONS, env: { ...process.env, FUNCTIONS_MANIFEST_OUTPUT_PATH: out }, stdio: "ignore" });
  try {
    return JSON.parse(fs.readFileSync(out, "utf8")).endpoints;
  } finally {
    fs.rmSync(out, { force: true });
  }
}

async function main() {
  if (!fs.existsSync(path.join(setup.FUNCTIONS, "lib", "index.js"))) throw new Error("functions are not built: run `npm start` first");
  const endpoints = manifest();
  const runnable = Object.keys(endpoints).filter((n) => endpoints[n].scheduleTrigger || endpoints[n].taskQueueTrigger);
  const endpoint = endpoints[name];
  if (!name || !endpoint || !runnable.includes(name)) {
    throw new Error(`usage: npm run trigger -- <function> [json payload]; scheduled and task-queue functions: ${runnable.join(", ")}`);
  }
  let body;
  try {
    body = JSON.parse(payload);
  } catch {
    throw new Error(`the payload must be JSON, got ${payload}`);
  }
  const { host, port } = config.functions;
  const base = `http://${host}:${port}/${setup.PROJECT}/${endpoint.region[0]}`;
  const response = endpoint.scheduleTrigger
    ? await fetch(`${base}/${name}-0`, { method: "POST", headers: { "X-CloudScheduler-ScheduleTime": new Date().toISOString() } })
    : await fetch(`${base}/${name}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ data: body }) });
  if (response.status === 404 && endpoint.scheduleTrigger) {
    throw new Error(`${name} is not loaded: the emulator loads scheduled functions only where the Pub/Sub emulator runs (see npm start's output)`);
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status} ${text}`);
  console.log(`${name} triggered (${endpoint.scheduleTrigger ? "schedule" : "task"}); its logs appear in the npm start terminal.`);
}

main().catch((err) => {
  console.error(err.cause?.code === "ECONNREFUSED" ? "the local suite is not running: start it with `npm start`" : err.message);
  process.exit(1);
});
