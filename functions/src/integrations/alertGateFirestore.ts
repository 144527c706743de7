import { createHash } from "node:crypto";
import { firestore } from "../core/admin";
import type { AlertGate } from "./alerts";

const COLLECTION = "alert_state";

/** One document per alert key (hashed: keys may hold `/`), updated in a transaction so instances agree. */
export class FirestoreAlertGate implements AlertGate {
  async admit(key: string, nowMs: number, windowMs: number): Promise<{ admitted: boolean; suppressed: number }> {
    const db = firestore();
    const ref = db.collection(COLLECTION).doc(createHash("sha256").update(key).digest("hex").slice(0, 40));
    return db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const sentAt = snap.get("sentAt") as unknown;
      const suppressed = snap.get("suppressed") as unknown;
      const previous = typeof suppressed === "number" ? suppressed : 0;
      if (typeof sentAt === "number" && nowMs - sentAt < windowMs) {
        tx.set(ref, { key, sentAt, suppressed: previous + 1 });
        return { admitted: false, suppressed: previous + 1 };
      }
      tx.set(ref, { key, sentAt: nowMs, suppressed: 0 });
      return { admitted: true, suppressed: previous };
    });
  }
}
