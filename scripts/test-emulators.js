// `npm run test:emulators`: tiers 4 and 5 only (the api under the Auth and Functions emulators, then everything
// under the Emulator Suite this machine can start), with the same summary line as `npm test`.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const tiers = require("./lib/tiers");

tiers.prepare();

tiers.finish(["emulator", "full"], [tiers.authEmulatorTier(), tiers.fullSuiteTier()]);
