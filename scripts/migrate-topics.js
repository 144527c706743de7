// `npm run migrate-topics -- [--dry-run] [--restart] [--max-pages N]`: subscribes every installation registered
// before wake-up pushes moved to FCM topics (tools/src/migrate-topics.ts; docs/notifications.md). Runs against the
// project of Application Default Credentials and GOOGLE_CLOUD_PROJECT; resumable and idempotent.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
require("./lib/setup").runTool("migrate-topics", process.argv.slice(2));
