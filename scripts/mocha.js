// Runs one tier of the compiled tests of every workspace: `unit` (no emulators), `emulator` (Auth + Functions
// emulators running), `full` (the whole Emulator Suite). Usage: node scripts/mocha.js <tier> [results.json]
"use strict";
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const tier = process.argv[2] ?? "unit";
const results = process.argv[3];
const root = path.resolve(__dirname, "..");
const specs = {
  unit: [
    "contract/build/test/**/*.test.js",
    "functions/build/test/**/*.test.js",
    "bridge/build/bridge/test/*.test.js",
    "tools/build/tools/test/**/*.test.js",
    "--ignore", "functions/build/test/emulator/**",
    "--ignore", "functions/build/test/full/**",
  ],
  emulator: ["functions/build/test/emulator/**/*.test.js"],
  full: ["functions/build/test/full/**/*.test.js", "bridge/build/bridge/test/full/**/*.test.js"],
}[tier];
if (!specs) {
  console.error(`unknown test tier "${tier}" (expected unit, emulator or full)`);
  process.exit(2);
}
const mocha = require.resolve("mocha/bin/mocha.js", { paths: [root] });
// Structured log lines are shown only for failing tests (functions/test/support/quietLogs.ts).
const quietLogs = path.join(root, "functions", "build", "test", "support", "quietLogs.js");
const args = [mocha, "--require", quietLogs, ...specs, "--reporter", path.join(__dirname, "lib", "mocha-reporter.js")];
const run = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    // The functions refuse to start with emulator variables set unless they run under the Functions emulator
    // (functions/src/core/emulatorGuard.ts); the emulator tiers run them in-process against emulators, so they say so.
    ...(tier === "unit" ? {} : { FUNCTIONS_EMULATOR: "true" }),
    ...(results ? { TEST_RESULTS_FILE: path.resolve(results) } : {}),
  },
});
process.exit(run.status ?? 1);
