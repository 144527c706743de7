// `npm run staypoints -- <args>`: the stay-point CLI (tools/src/staypoints-cli.ts) on a CSV of GPS fixes.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const path = require("node:path");
const setup = require("./lib/setup");

setup.ensureDependencies();
setup.mustRun("npm", ["run", "--silent", "build", "-w", "contract"]);
setup.mustRun("npm", ["run", "--silent", "build", "-w", "tools"]);
process.exit(setup.run(process.execPath, [path.join(setup.TOOLS, "build", "tools", "src", "staypoints-cli.js"), ...process.argv.slice(2)]));
