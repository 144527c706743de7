// Loads emulators/firestore-seed.json into a running Firestore emulator (FIRESTORE_EMULATOR_HOST must be set).
// Firestore's own export format is a binary LevelDB/protobuf dump that only the emulator writes; once seeded,
// `npx firebase emulators:export emulators/seed` on a machine with Java 21 adds it beside the Auth and RTDB exports.
"use strict";
const path = require("node:path");
const fs = require("node:fs");

if (!process.env.FIRESTORE_EMULATOR_HOST) {
  console.error("seed-firestore: FIRESTORE_EMULATOR_HOST is not set; refusing to write to a real project.");
  process.exit(2);
}
const functionsModules = path.resolve(__dirname, "..", "functions", "node_modules");
const { initializeApp } = require(path.join(functionsModules, "firebase-admin/app"));
const { getFirestore } = require(path.join(functionsModules, "firebase-admin/firestore"));

async function main() {
  const projectId = process.env.GCLOUD_PROJECT ?? "demo-wolley";
  const db = getFirestore(initializeApp({ projectId }));
  const docs = JSON.parse(fs.readFileSync(path.join(__dirname, "firestore-seed.json"), "utf8"));
  const batch = db.batch();
  for (const [docPath, data] of Object.entries(docs)) batch.set(db.doc(docPath), data);
  await batch.commit();
  console.log(`seed-firestore: wrote ${Object.keys(docs).length} documents to ${process.env.FIRESTORE_EMULATOR_HOST}`);
}

main().catch((err) => {
  console.error(`seed-firestore: ${err.message}`);
  process.exit(1);
});
