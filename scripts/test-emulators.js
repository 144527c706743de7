// `npm run test:emulators`: the full suite under the complete Emulator Suite, where Java 21 exists.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const path = require("node:path");
const setup = require("./lib/setup");

if (!setup.fullSuiteAvailable()) {
  console.log(
    setup.skippedEmulatorsParagraph("Nothing was run: `npm test` runs every tier this machine supports."),
  );
  process.exit(0);
}
setup.ensureDependencies();
setup.ensureLocalSecrets();
setup.buildDeployUnits();
setup.buildTestsAndTools();
const firebase = path.join(setup.BIN, "firebase");
const script = "node scripts/mocha.js emulator && node scripts/mocha.js full";
process.exit(setup.run(firebase, ["emulators:exec", "--project", setup.PROJECT, "--import", "emulators/seed", script]));
