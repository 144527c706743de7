/**
 * Runs the topic migration against the project's Firestore and FCM with Application Default Credentials:
 *   npm run migrate-topics -- [--dry-run] [--restart] [--max-pages N]
 * Prints one JSON line per page and a summary line. Safe to interrupt and rerun: it resumes from its checkpoint.
 */
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import { firestore } from "../../functions/src/core/admin";
import { fcmMessenger } from "../../functions/src/notifications/fcmTransport";
import { FirestoreInstallationStore, FirestoreMigrationCheckpoints } from "../../functions/src/notifications/firestoreStore";
import { DEFAULT_MIGRATION_OPTIONS, migrateToTopic } from "../../functions/src/notifications/migrateTopics";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "dry-run": { type: "boolean", default: false }, restart: { type: "boolean", default: false }, "max-pages": { type: "string" } },
    strict: true,
  });
  const maxPages = values["max-pages"] === undefined ? Infinity : Number(values["max-pages"]);
  if (!(maxPages >= 1)) throw new RangeError("--max-pages must be a positive number");
  const result = await migrateToTopic(
    {
      installations: new FirestoreInstallationStore(firestore),
      topics: fcmMessenger,
      checkpoints: new FirestoreMigrationCheckpoints(firestore),
      now: Date.now,
      sleep: (ms) => delay(ms),
      random: Math.random,
    },
    {
      ...DEFAULT_MIGRATION_OPTIONS,
      dryRun: values["dry-run"],
      restart: values.restart,
      maxPages,
      onPage: (checkpoint) => process.stdout.write(`${JSON.stringify({ event: "migration_page", ...checkpoint })}\n`),
    },
  );
  process.stdout.write(`${JSON.stringify({ event: "migration_result", ...result })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
