// Loads emulators/firestore-seed.json into a running Firestore emulator (FIRESTORE_EMULATOR_HOST must be set).
// The seed's firestore_export/ is the emulator's binary export of exactly these documents; to change the seed,
// edit the JSON and regenerate the export as emulators/README.md describes.
"use strict";
const path = require("node:path");
const fs = require("node:fs");

if (!process.env.FIRESTORE_EMULATOR_HOST) {
  console.error("seed-firestore: FIRESTORE_EMULATOR_HOST is not set; refusing to write to a real project.");
  process.exit(2);
}
const fromFunctions = (name) => require(require.resolve(name, { paths: [path.resolve(__dirname, "..", "functions")] }));
const { initializeApp } = fromFunctions("firebase-admin/app");
const { getFirestore } = fromFunctions("firebase-admin/firestore");

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
