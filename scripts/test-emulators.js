// `npm run test:emulators`: the full suite under the complete Emulator Suite, where Java 21 exists.
"use strict";
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
setup.buildFunctions();
setup.mustRun("npm", ["run", "build:test"], { cwd: setup.FUNCTIONS });
const firebase = path.join(setup.ROOT, "node_modules", ".bin", "firebase");
const script = "node functions/scripts/mocha.js emulator && node functions/scripts/mocha.js full";
process.exit(setup.run(firebase, ["emulators:exec", "--project", setup.PROJECT, "--import", "emulators/seed", script]));
