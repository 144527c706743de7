// Runs one tier of the compiled tests: `unit` (no emulators), `emulator` (Auth + Functions emulators running),
// `full` (the whole Emulator Suite). Usage: node scripts/mocha.js <tier> [results.json]
"use strict";
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const tier = process.argv[2] ?? "unit";
const results = process.argv[3];
const root = path.resolve(__dirname, "..");
const specs = {
  unit: ["build/test/**/*.test.js", "--ignore", "build/test/emulator/**", "--ignore", "build/test/full/**"],
  emulator: ["build/test/emulator/**/*.test.js"],
  full: ["build/test/full/**/*.test.js"],
}[tier];
if (!specs) {
  console.error(`unknown test tier "${tier}" (expected unit, emulator or full)`);
  process.exit(2);
}
const mocha = require.resolve("mocha/bin/mocha.js", { paths: [root] });
const args = [mocha, ...specs, "--reporter", path.join(__dirname, "mocha-reporter.js"), "--timeout", "20000",
  "--exit", "--enable-source-maps"];
const run = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, ...(results ? { TEST_RESULTS_FILE: path.resolve(results) } : {}) },
});
process.exit(run.status ?? 1);
