// `npm run test:emulators`: tiers 4 and 5 only (the api under the Auth and Functions emulators, then everything
// under the Emulator Suite this machine can start), with the same summary line as `npm test`.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const { nodeBanner } = require("./lib/node");
const setup = require("./lib/setup");
const tiers = require("./lib/tiers");

console.log(nodeBanner());
tiers.resetResults();
setup.ensureDependencies();
setup.ensureLocalSecrets();
setup.buildDeployUnits();
setup.buildTestsAndTools();

tiers.finish(["emulator", "full"], [tiers.authEmulatorTier(), tiers.fullSuiteTier()]);
