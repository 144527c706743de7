// `npm run bridge`: the MQTT ↔ Pub/Sub bridge service, configured by environment (docs/bridge.md).
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const path = require("node:path");
const setup = require("./lib/setup");

setup.ensureDependencies();
setup.buildDeployUnits();
process.exit(setup.run(process.execPath, [path.join(setup.BRIDGE, "lib", "main.js")]));
