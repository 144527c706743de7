// `npm run bridge`: the MQTT ↔ Pub/Sub bridge service, configured by environment (docs/bridge.md).
"use strict";
const path = require("node:path");
const setup = require("./lib/setup");

setup.ensureDependencies();
setup.buildFunctions();
process.exit(setup.run(process.execPath, [path.join(setup.FUNCTIONS, "lib", "bridge", "service", "main.js")]));
