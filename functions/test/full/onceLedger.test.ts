import { strict as assert } from "node:assert";
import { getApps, initializeApp } from "firebase-admin/app";
import { Timestamp } from "firebase-admin/firestore";
import { firestore } from "../../src/admin";
import { FirestoreOnceLedger } from "../../src/core/firestoreOnce";
import { onceLedgerContract } from "../core/onceLedgerContract";

/** The Firestore once ledger against the Firestore emulator, running the memory ledger's contract. */
describe("FirestoreOnceLedger contract (emulator)", function () {
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";
  const COLLECTION = "once_contract";

  before(function () {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is unset (run under firebase emulators:exec with the Firestore emulator)");
      this.skip();
    }
  });

  async function clean(): Promise<void> {
    if (getApps().length === 0) initializeApp({ projectId: project });
    await firestore().recursiveDelete(firestore().collection(COLLECTION));
  }

  onceLedgerContract(async () => {
    await clean();
    return new FirestoreOnceLedger(COLLECTION);
  });

  it("stamps each write with the expireAt a Firestore TTL policy deletes the record by", async () => {
    await clean();
    const ledger = new FirestoreOnceLedger(COLLECTION, { retainMs: 60_000 });
    await ledger.claim("fn:a/b", { owner: "a", nowMs: 1_000, leaseMs: 500, lapsed: "reclaim" });
    await ledger.settle("fn:a/b", "a", { state: "done", outcome: "done", detail: null }, 2_000);
    const stored = (await firestore().collection(COLLECTION).doc("fn:a%2Fb").get()).data();
    assert.ok(stored?.expireAt instanceof Timestamp, JSON.stringify(stored));
    assert.equal(stored.expireAt.toMillis(), 62_000);
    assert.equal((await ledger.get("fn:a/b"))?.state, "done");
  });
});
