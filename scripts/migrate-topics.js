// `npm run migrate-topics -- [--dry-run] [--restart] [--max-pages N]`: subscribes every installation registered
// before wake-up pushes moved to FCM topics (tools/src/migrate-topics.ts; docs/notifications.md). Runs against the
// project of Application Default Credentials and GOOGLE_CLOUD_PROJECT; resumable and idempotent.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const path = require("node:path");
const setup = require("./lib/setup");

setup.ensureDependencies();
setup.mustRun("npm", ["run", "--silent", "build", "-w", "contract"]);
setup.mustRun("npm", ["run", "--silent", "build", "-w", "tools"]);
process.exit(setup.run(process.execPath, [path.join(setup.TOOLS, "build", "tools", "src", "migrate-topics.js"), ...process.argv.slice(2)]));
