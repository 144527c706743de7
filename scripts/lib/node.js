// Every root command runs on the Node.js major that production runs (Cloud Functions `nodejs22`, the bridge image
// `node:22`). Where the Node on PATH is older, the command fetches the official Node 22 binary once from the npm
// registry (the `node-<platform>-<arch>` package, which needs no install script) into .tools/, then runs itself
// again on it, with that binary first on PATH so npm, firebase-tools and every child use it too. Where the Node on
// PATH is 22 or newer, nothing is fetched and nothing is re-run.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawn, spawnSync } = require("node:child_process");

const PRODUCTION_MAJOR = 22;
const NODE_VERSION = "22.23.5";
const ROOT = path.resolve(__dirname, "..", "..");

const major = (version) => Number(version.replace(/^v/, "").split(".")[0]);

function fetchNode() {
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = path.join(ROOT, ".tools", `node-${NODE_VERSION}`);
  const bin = path.join(prefix, "node_modules", pkg, "bin", process.platform === "win32" ? "node.exe" : "node");
  if (!fs.existsSync(bin)) {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const args = ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit",
      "--no-fund", "--loglevel=error", `${pkg}@${NODE_VERSION}`];
    const result = spawnSync(npm, args, { stdio: ["ignore", "ignore", "inherit"], cwd: ROOT });
    if (result.status !== 0 || !fs.existsSync(bin)) {
      console.error(
        `✖ This command needs Node.js ${PRODUCTION_MAJOR} (production runs on it) and this machine has ` +
          `${process.version}; fetching ${pkg}@${NODE_VERSION} from the npm registry failed. Install Node.js ` +
          `${PRODUCTION_MAJOR} yourself (https://nodejs.org) and run the command again.`,
      );
      process.exit(1);
    }
  }
  return { bin, pkg };
}

/**
 * False when this process already runs on Node ≥ 22. Otherwise re-runs the current script on the fetched Node 22,
 * exits with its status when it ends, and returns true: the caller must then do nothing more. Signals sent to this
 * process are passed on, so Ctrl-C and `kill` reach the real command.
 */
function rerunOnProductionNode() {
  if (major(process.version) >= PRODUCTION_MAJOR) return false;
  const { bin, pkg } = fetchNode();
  const env = {
    ...process.env,
    PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH ?? ""}`,
    WOLLEY_NODE_NOTE: `fetched from the npm registry as ${pkg}@${NODE_VERSION} into .tools/, because the Node on PATH is ${process.version}`,
  };
  const child = spawn(bin, process.argv.slice(1), { stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}

/** The line `npm test` starts with: which Node runs everything, and where it came from. */
function nodeBanner() {
  return `node ${process.version}${process.env.WOLLEY_NODE_NOTE ? ` (${process.env.WOLLEY_NODE_NOTE})` : ""}`;
}

module.exports = { rerunOnProductionNode, nodeBanner, PRODUCTION_MAJOR };
