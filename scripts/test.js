// `npm test`: install if needed, build, lint, then every test tier this machine can run, and one summary line.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const path = require("node:path");
const setup = require("./lib/setup");
const tiers = require("./lib/tiers");

tiers.prepare();
setup.mustRun(path.join(setup.BIN, "eslint"), ["."]);
// Unused files, dependencies and exports, and exports only tests use (knip.config.ts).
setup.mustRun(path.join(setup.BIN, "knip"), ["--no-progress"]);
setup.mustRun(path.join(setup.BIN, "knip"), ["--production", "--no-progress"]);

tiers.finish(["unit", "emulator", "full"], [tiers.unitTier(), tiers.authEmulatorTier(), tiers.fullSuiteTier()]);
