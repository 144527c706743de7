/**
 * Firestore implementations of the notification stores: the only code that touches `installations` and
 * `push_runs`. Documents read back are validated with zod; a malformed run record fails loudly rather than
 * letting a run resend tokens.
 */
import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { pushKindSchema } from "./messages";
import type { FanoutEntry, Installation, InstallationStore, RegisterResult } from "./store";
import type { BeginResult, RunChange, RunCounts, RunKey, RunRecord, RunStore } from "./store";
import { beginRun, claimChange, finishChange, registeredInstallation, releaseChange, runId } from "./store";
import { platformSchema, type Registration } from "./tokens";

export const INSTALLATIONS = "installations";
export const PUSH_RUNS = "push_runs";

const installationDoc = z.object({
  uid: z.string(),
  fcmToken: z.string(),
  platform: platformSchema,
  appVersion: z.string().optional(),
  timeZone: z.string().optional(),
  updatedAt: z.number(),
  lastFixAt: z.number().optional(),
});

/** The fan-out projection; a stray non-numeric lastFixAt must not stop a push, so it just counts as absent. */
const fanoutDoc = z.object({ fcmToken: z.string(), lastFixAt: z.unknown().optional() });

export class FirestoreInstallationStore implements InstallationStore {
  constructor(private readonly db: () => Firestore) {}

  private get collection() {
    return this.db().collection(INSTALLATIONS);
  }

  async register(uid: string, registration: Registration, nowMs: number): Promise<RegisterResult> {
    const ref = this.collection.doc(registration.installationId);
    return this.db().runTransaction(async (tx) => {
      const holders = await tx.get(this.collection.where("fcmToken", "==", registration.fcmToken).limit(20));
      const snap = await tx.get(ref);
      const previous = snap.exists ? installationDoc.safeParse(snap.data()) : undefined;
      const movedFrom = holders.docs.filter((doc) => doc.id !== registration.installationId).map((doc) => doc.id);
      for (const id of movedFrom) tx.delete(this.collection.doc(id));
      const earlier = previous?.success ? previous.data : undefined;
      const doc: z.infer<typeof installationDoc> = registeredInstallation(uid, registration, nowMs, earlier);
      tx.set(ref, doc);
      return { created: !snap.exists, movedFrom };
    });
  }

  async unregister(uid: string, installationId: string): Promise<boolean> {
    const ref = this.collection.doc(installationId);
    return this.db().runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists || snap.get("uid") !== uid) return false;
      tx.delete(ref);
      return true;
    });
  }

  async pageByToken(afterToken: string | null, limit: number): Promise<FanoutEntry[]> {
    // A string range filter also keeps out legacy documents whose token is missing, empty or not a string.
    const snap = await this.collection
      .where("fcmToken", ">", afterToken ?? "")
      .orderBy("fcmToken")
      .select("fcmToken", "lastFixAt")
      .limit(limit)
      .get();
    return snap.docs.map((doc) => {
      const data = fanoutDoc.parse(doc.data());
      return {
        installationId: doc.id,
        fcmToken: data.fcmToken,
        ...(typeof data.lastFixAt === "number" ? { lastFixAt: data.lastFixAt } : {}),
      };
    });
  }

  async prune(entries: readonly FanoutEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const db = this.db();
    const snaps = await db.getAll(...entries.map((entry) => this.collection.doc(entry.installationId)));
    const writer = db.bulkWriter();
    // A document changed since it was read (token refreshed) is not dead: let its precondition fail quietly.
    writer.onWriteError(() => false);
    const deletions = snaps.flatMap((snap: DocumentSnapshot, i) => {
      const entry = entries[i] as FanoutEntry;
      if (!snap.exists || !snap.updateTime || snap.get("fcmToken") !== entry.fcmToken) return [];
      return [writer.delete(snap.ref, { lastUpdateTime: snap.updateTime }).then(() => 1, () => 0)];
    });
    await writer.close();
    const results = await Promise.all(deletions);
    return results.reduce<number>((sum, n) => sum + n, 0);
  }

  async markFixReceived(uid: string, atMs: number): Promise<void> {
    await this.db().runTransaction(async (tx) => {
      const snap = await tx.get(this.collection.where("uid", "==", uid).limit(50));
      for (const doc of snap.docs) {
        const current: unknown = doc.get("lastFixAt");
        if (typeof current !== "number" || current < atMs) tx.update(doc.ref, { lastFixAt: atMs });
      }
    });
  }

  async get(installationId: string): Promise<Installation | undefined> {
    const snap = await this.collection.doc(installationId).get();
    if (!snap.exists) return undefined;
    return { installationId, ...installationDoc.parse(snap.data()) };
  }
}

const countsShape = {
  attempted: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  pruned: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skippedRecent: z.number().int().nonnegative(),
  skippedInvalid: z.number().int().nonnegative(),
};

const runDoc = z.object({
  kind: pushKindSchema,
  scheduledTime: z.string(),
  status: z.enum(["running", "done", "expired"]),
  cursor: z.string().nullable(),
  owner: z.string().nullable(),
  leaseUntil: z.number(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  handOffs: z.number().int().nonnegative(),
  ...countsShape,
});

export class FirestoreRunStore implements RunStore {
  constructor(private readonly db: () => Firestore) {}

  private ref(key: RunKey) {
    return this.db().collection(PUSH_RUNS).doc(runId(key));
  }

  async begin(key: RunKey, owner: string, nowMs: number, leaseMs: number): Promise<BeginResult> {
    const ref = this.ref(key);
    return this.db().runTransaction(async (tx): Promise<BeginResult> => {
      const snap = await tx.get(ref);
      const result = beginRun(snap.exists ? runDoc.parse(snap.data()) : undefined, key, owner, nowMs, leaseMs);
      if (result.state === "acquired") {
        if (snap.exists) tx.update(ref, { owner, leaseUntil: result.record.leaseUntil });
        else tx.create(ref, result.record);
      }
      return result;
    });
  }

  async claim(key: RunKey, owner: string, expected: string | null, next: string, counts: RunCounts, leaseUntil: number): Promise<boolean> {
    return (await this.mutate(key, (r) => claimChange(r, owner, expected, next, counts, leaseUntil))) !== undefined;
  }

  async release(key: RunKey, owner: string, counts: RunCounts, handOff: boolean): Promise<boolean> {
    return (await this.mutate(key, (r) => releaseChange(r, owner, counts, handOff))) !== undefined;
  }

  async finish(key: RunKey, owner: string, counts: RunCounts, status: "done" | "expired", nowMs: number): Promise<RunRecord | undefined> {
    return this.mutate(key, (r) => finishChange(r, owner, counts, status, nowMs));
  }

  async get(key: RunKey): Promise<RunRecord | undefined> {
    const snap = await this.ref(key).get();
    return snap.exists ? runDoc.parse(snap.data()) : undefined;
  }

  /** Applies `change` to a running record inside a transaction; undefined when the record refused it. */
  private async mutate(key: RunKey, change: (record: RunRecord) => RunChange): Promise<RunRecord | undefined> {
    const ref = this.ref(key);
    return this.db().runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return undefined;
      const record = runDoc.parse(snap.data());
      if (record.status !== "running") return undefined;
      const update = change(record);
      if (!update) return undefined;
      tx.update(ref, update);
      return { ...record, ...update };
    });
  }
}
