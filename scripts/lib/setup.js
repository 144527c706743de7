// Shared set-up for the root commands: dependencies installed from the lockfile when missing, the builds, and what
// the Emulator Suite can run on this machine.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const FUNCTIONS = path.join(ROOT, "functions");
const BRIDGE = path.join(ROOT, "bridge");
const TOOLS = path.join(ROOT, "tools");
const BIN = path.join(ROOT, "node_modules", ".bin");
const PROJECT = "demo-wolley";

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

/** Tests, the CLI and the benchmarks, compiled afresh to each package's build/ (no output of a deleted file stays). */
function buildTestsAndTools() {
  for (const dir of ["contract", "functions", "bridge", "tools"]) fs.rmSync(path.join(ROOT, dir, "build"), { recursive: true, force: true });
  mustRun("npm", ["run", "--silent", "build:test", "-w", "contract", "-w", "functions", "-w", "bridge"]);
  mustRun("npm", ["run", "--silent", "build", "-w", "tools"]);
}

/** Builds the tools package and runs one of its commands (tools/src/<name>.ts) with the given arguments; exits with its status. */
function runTool(name, args) {
  ensureDependencies();
  mustRun("npm", ["run", "--silent", "build", "-w", "contract"]);
  mustRun("npm", ["run", "--silent", "build", "-w", "tools"]);
  // Relative file arguments mean what they meant where the user typed `npm run …` (npm sets INIT_CWD to it).
  const cwd = process.env.INIT_CWD || process.cwd();
  process.exit(run(process.execPath, [path.join(TOOLS, "build", "tools", "src", `${name}.js`), ...args], { cwd }));
}

/**
 * The Functions emulator reads secret values from functions/.secret.local (git-ignored) and asks Secret Manager, which
 * a demo project cannot reach, for every secret whose value there is empty. A blank value (" ") is a value, and the
 * code reads a blank secret as "not configured": the integrations then log one line instead of calling out.
 */
function ensureLocalSecrets() {
  const file = path.join(FUNCTIONS, ".secret.local");
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "SLACK_WEBHOOK_URL=\nOPENWEATHER_API_KEY=\n";
  const filled = current.replace(/^([A-Z0-9_]+)=$/gm, '$1=" "');
  if (filled !== current || !fs.existsSync(file)) fs.writeFileSync(file, filled);
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
  runTool,
  ensureLocalSecrets,
};
