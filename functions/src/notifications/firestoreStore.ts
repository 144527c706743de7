/**
 * Firestore implementations of the notification stores: the only code that touches `installations`, `push_runs`
 * and `push_migrations`. Documents read back are validated with zod.
 */
import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import type { MigrationCheckpoint, MigrationCheckpoints } from "./migrateTopics";
import { FirestoreOnceLedger } from "../core/firestoreOnce";
import type { Installation, InstallationStore, InstallationToken, RegisterResult } from "./store";
import { LedgerRunStore, registeredInstallation } from "./store";
import { platformSchema, type Registration } from "./tokens";

export const INSTALLATIONS = "installations";
export const PUSH_RUNS = "push_runs";
export const PUSH_MIGRATIONS = "push_migrations";

const installationDoc = z.object({
  uid: z.string(),
  fcmToken: z.string(),
  platform: platformSchema,
  appVersion: z.string().optional(),
  timeZone: z.string().optional(),
  updatedAt: z.number(),
});

/** A user may hold a token on a handful of installations (reinstalls); more than this is not a phone. */
const MAX_OWN_HOLDERS = 20;

export class FirestoreInstallationStore implements InstallationStore {
  constructor(private readonly db: () => Firestore) {}

  private get collection() {
    return this.db().collection(INSTALLATIONS);
  }

  async register(uid: string, registration: Registration, nowMs: number): Promise<RegisterResult> {
    const ref = this.collection.doc(registration.installationId);
    return this.db().runTransaction(async (tx): Promise<RegisterResult> => {
      const snap = await tx.get(ref);
      const previous = snap.exists ? installationDoc.safeParse(snap.data()) : undefined;
      // An unreadable document still names its owner; only a document that names the caller may be overwritten.
      if (snap.exists && snap.get("uid") !== uid) return { state: "owned_by_other" };
      const holders = await tx.get(
        this.collection.where("fcmToken", "==", registration.fcmToken).where("uid", "==", uid).limit(MAX_OWN_HOLDERS),
      );
      const replaced = holders.docs.map((doc) => doc.id).filter((id) => id !== registration.installationId).sort();
      for (const id of replaced) tx.delete(this.collection.doc(id));
      const doc: z.infer<typeof installationDoc> = registeredInstallation(uid, registration, nowMs);
      tx.set(ref, doc);
      const previousToken = previous?.success && previous.data.fcmToken !== registration.fcmToken ? previous.data.fcmToken : undefined;
      return { state: snap.exists ? "refreshed" : "created", replaced, ...(previousToken === undefined ? {} : { previousToken }) };
    });
  }

  async unregister(uid: string, installationId: string): Promise<Installation | undefined> {
    const ref = this.collection.doc(installationId);
    return this.db().runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists || snap.get("uid") !== uid) return undefined;
      tx.delete(ref);
      const parsed = installationDoc.safeParse(snap.data());
      return parsed.success ? { installationId, ...parsed.data } : undefined;
    });
  }

  async holdsToken(token: string): Promise<boolean> {
    const snap = await this.collection.where("fcmToken", "==", token).limit(1).select().get();
    return !snap.empty;
  }

  async pageById(afterId: string | null, limit: number): Promise<InstallationToken[]> {
    // `__name__` is FieldPath.documentId(); naming it keeps firebase-admin/firestore from loading at import time.
    let query = this.collection.orderBy("__name__").select("fcmToken").limit(limit);
    if (afterId !== null) query = query.startAfter(afterId);
    const snap = await query.get();
    return snap.docs.map((doc) => {
      // Legacy documents may hold no token or a non-string one; an empty token is skipped by the migration.
      const token: unknown = doc.get("fcmToken");
      return { installationId: doc.id, fcmToken: typeof token === "string" ? token : "" };
    });
  }

  async prune(entries: readonly InstallationToken[]): Promise<number> {
    if (entries.length === 0) return 0;
    const db = this.db();
    const snaps = await db.getAll(...entries.map((entry) => this.collection.doc(entry.installationId)));
    const writer = db.bulkWriter();
    // A document changed since it was read (token refreshed) is not dead: let its precondition fail quietly.
    writer.onWriteError(() => false);
    const deletions = snaps.flatMap((snap: DocumentSnapshot, i) => {
      const entry = entries[i] as InstallationToken;
      if (!snap.exists || !snap.updateTime || snap.get("fcmToken") !== entry.fcmToken) return [];
      return [writer.delete(snap.ref, { lastUpdateTime: snap.updateTime }).then(() => 1, () => 0)];
    });
    await writer.close();
    const results = await Promise.all(deletions);
    return results.reduce<number>((sum, n) => sum + n, 0);
  }

  async get(installationId: string): Promise<Installation | undefined> {
    const snap = await this.collection.doc(installationId).get();
    if (!snap.exists) return undefined;
    return { installationId, ...installationDoc.parse(snap.data()) };
  }
}

/** `push_runs/{kind}_{scheduledTime}`: the run records on the once ledger. */
export class FirestoreRunStore extends LedgerRunStore {
  constructor(db: () => Firestore) {
    super(new FirestoreOnceLedger(PUSH_RUNS, { db }));
  }
}

const checkpointDoc = z.object({
  cursor: z.string().nullable(),
  done: z.boolean(),
  scanned: z.number().int().nonnegative(),
  subscribed: z.number().int().nonnegative(),
  pruned: z.number().int().nonnegative(),
  skippedInvalid: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  updatedAt: z.number(),
});

/** `push_migrations/{name}`: where a migration stopped, so a rerun resumes there. */
export class FirestoreMigrationCheckpoints implements MigrationCheckpoints {
  constructor(private readonly db: () => Firestore) {}

  async load(name: string): Promise<MigrationCheckpoint | undefined> {
    const snap = await this.db().collection(PUSH_MIGRATIONS).doc(name).get();
    return snap.exists ? checkpointDoc.parse(snap.data()) : undefined;
  }

  async save(name: string, checkpoint: MigrationCheckpoint): Promise<void> {
    const doc: z.infer<typeof checkpointDoc> = checkpoint;
    await this.db().collection(PUSH_MIGRATIONS).doc(name).set(doc);
  }
}
