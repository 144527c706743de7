// Shared set-up for the root commands: dependencies installed from the lockfile when missing, the builds, and what
// the Emulator Suite can run on this machine.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const FUNCTIONS = path.join(ROOT, "functions");
const BRIDGE = path.join(ROOT, "bridge");
const TOOLS = path.join(ROOT, "tools");
const BIN = path.join(ROOT, "node_modules", ".bin");
const PROJECT = "demo-wolley";
const MIN_JAVA = 21;

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: "inherit", cwd: ROOT, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function mustRun(cmd, args, options = {}) {
  const status = run(cmd, args, options);
  if (status !== 0) {
    console.error(`\n✖ ${[cmd, ...args].join(" ")} exited with ${status}`);
    process.exit(status);
  }
}

/** `npm ci` where node_modules is missing or older than the lockfile, so a fresh clone needs no manual step. */
function ensureDependencies() {
  const lock = path.join(ROOT, "package-lock.json");
  const marker = path.join(ROOT, "node_modules", ".package-lock.json");
  if (!fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs) {
    console.log("Installing dependencies (npm ci)…");
    mustRun("npm", ["ci", "--no-audit", "--no-fund"]);
  }
}

/** The deploy units and what they import: the contract, the functions bundle and the bridge bundle. */
function buildDeployUnits() {
  mustRun("npm", ["run", "--silent", "build", "-w", "contract", "-w", "functions", "-w", "bridge"]);
}

/** Tests, the CLI and the benchmarks, compiled to each package's build/. */
function buildTestsAndTools() {
  mustRun("npm", ["run", "--silent", "build:test", "-w", "contract", "-w", "functions", "-w", "bridge"]);
  mustRun("npm", ["run", "--silent", "build", "-w", "tools"]);
}

/**
 * The Functions emulator reads secret values from functions/.secret.local (git-ignored); empty values keep it from
 * asking Secret Manager, which a demo project cannot reach. Integrations then report "not configured" instead.
 */
function ensureLocalSecrets() {
  const file = path.join(FUNCTIONS, ".secret.local");
  if (!fs.existsSync(file)) fs.writeFileSync(file, "SLACK_WEBHOOK_URL=\nOPENWEATHER_API_KEY=\n");
}

let javaMajor;

/** Major version of the `java` on PATH, or 0 when there is none; asked once per command (it spawns a JVM). */
function javaMajorVersion() {
  if (javaMajor === undefined) {
    const result = spawnSync("java", ["-version"], { encoding: "utf8" });
    const match = result.error || result.status !== 0 ? null : /version "(\d+)(?:\.(\d+))?/.exec(result.stderr ?? "");
    const major = match ? Number(match[1]) : 0;
    javaMajor = major === 1 && match ? Number(match[2]) : major;
  }
  return javaMajor;
}

function fullSuiteAvailable() {
  return javaMajorVersion() >= MIN_JAVA;
}

/** The Emulator UI is a zip downloaded from Google on first start; where it is not cached it cannot start here. */
function emulatorUiCached() {
  const cache = process.env.FIREBASE_EMULATORS_PATH || path.join(os.homedir(), ".cache", "firebase", "emulators");
  return fs.existsSync(cache) && fs.readdirSync(cache).some((name) => name.startsWith("ui-v"));
}

/**
 * firebase.json with the UI switched off, written beside it (git-ignored) so its relative paths still resolve;
 * used where the UI cannot be downloaded.
 */
function configWithoutUi() {
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, "firebase.json"), "utf8"));
  config.emulators.ui = { ...config.emulators.ui, enabled: false };
  const file = path.join(ROOT, ".firebase.no-ui.json");
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/**
 * One paragraph, printed wherever the Java-based emulators are left out: what was skipped, what the command does
 * instead (`instead`, one sentence), and how to get the full suite.
 */
function skippedEmulatorsParagraph(instead) {
  const javaVersion = javaMajorVersion();
  const found = javaVersion ? `Java ${javaVersion}` : "no Java";
  return (
    `Firestore, Realtime Database and Pub/Sub emulators skipped: they need Java ${MIN_JAVA} or newer and ` +
    `download their jars from Google on first use, and this machine has ${found}. ${instead} ` +
    `To get the full suite, install a ` +
    `JDK ${MIN_JAVA}+ (e.g. Temurin 21, or 'apt-get install openjdk-21-jre-headless'), make sure ` +
    `'java -version' shows it, allow downloads from storage.googleapis.com once (the Emulator UI comes from there ` +
    `too and is left off until it is cached), and run the command again.`
  );
}

module.exports = {
  ROOT,
  FUNCTIONS,
  BRIDGE,
  TOOLS,
  BIN,
  PROJECT,
  run,
  mustRun,
  ensureDependencies,
  buildDeployUnits,
  buildTestsAndTools,
  ensureLocalSecrets,
  javaMajorVersion,
  fullSuiteAvailable,
  skippedEmulatorsParagraph,
  emulatorUiCached,
  configWithoutUi,
};
