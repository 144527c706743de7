// `npm run staypoints -- <args>`: the stay-point CLI (tools/src/staypoints-cli.ts) on a CSV of GPS fixes.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
require("./lib/setup").runTool("staypoints-cli", process.argv.slice(2));
