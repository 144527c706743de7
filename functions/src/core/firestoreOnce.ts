import type { Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { firestore } from "./admin";
import { type ClaimAnswer, type OnceClaim, type OnceLedger, type OnceRecord, type OnceSettlement, claimStep, settleStep } from "./once";

/** The ledger of the event triggers (`mqttInbound`, `onSmarthomeStatusWritten`, `runSchedules`); keys name their function. */
export const PROCESSED_EVENTS = "processed_events";

/** The holder and timing fields, the same in the current records and in push runs written before the ledger. */
const leaseFields = {
  owner: z.string().nullable(),
  leaseUntil: z.number(),
  attempts: z.number().int().nonnegative(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
};

const currentDoc = z.object({
  state: z.enum(["running", "done", "open"]),
  ...leaseFields,
  outcome: z.string().nullable(),
  detail: z.string().nullable(),
});

/** A `processed_events` marker written before the ledger (`{at, expireAt}`): the event was applied. */
const legacyMarker = z.object({ at: z.number() }).transform(({ at }): OnceRecord => ({
  state: "done", owner: null, leaseUntil: 0, attempts: 1, startedAt: at, finishedAt: at, outcome: "done", detail: null,
}));

/** A `push_runs` record written before the ledger: its status maps onto the ledger's state and outcome. */
const legacyRun = z
  .object({
    status: z.enum(["sending", "sent", "failed", "unknown", "expired"]),
    ...leaseFields,
    messageId: z.string().nullable(),
    error: z.string().nullable(),
  })
  .transform(({ status, messageId, error, ...lease }): OnceRecord => ({
    ...lease,
    state: status === "sending" ? "running" : status === "failed" ? "open" : "done",
    outcome: status === "sending" ? null : status,
    detail: messageId ?? error,
  }));

/**
 * A stored record, including the two shapes written before this ledger existed: a redelivery or a retried run that
 * meets one must see what it says, not fail to parse until the record expires.
 */
export const storedOnceRecord = z.union([currentDoc, legacyRun, legacyMarker]);

export interface FirestoreOnceOptions {
  /** When set, each record carries `expireAt` this long after its last write, for a Firestore TTL policy. */
  retainMs?: number;
  db?: () => Firestore;
}

/** A key may hold `/` (a path separator in Firestore); escaping `%` first keeps the mapping one-to-one. */
function onceDocId(key: string): string {
  return key.replaceAll("%", "%25").replaceAll("/", "%2F");
}

/**
 * One document per key in `collection`, read and written in a transaction. A malformed record fails loudly rather
 * than letting the work run twice.
 */
export class FirestoreOnceLedger implements OnceLedger {
  private readonly db: () => Firestore;

  constructor(
    private readonly collection: string,
    private readonly options: FirestoreOnceOptions = {},
  ) {
    this.db = options.db ?? firestore;
  }

  private ref(key: string) {
    return this.db().collection(this.collection).doc(onceDocId(key));
  }

  private stored(record: OnceRecord, nowMs: number): Record<string, unknown> {
    const doc: z.infer<typeof currentDoc> = record;
    return this.options.retainMs === undefined ? { ...doc } : { ...doc, expireAt: new Date(nowMs + this.options.retainMs) };
  }

  async claim(key: string, claim: OnceClaim): Promise<ClaimAnswer> {
    const ref = this.ref(key);
    return this.db().runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const { write, answer } = claimStep(snap.exists ? storedOnceRecord.parse(snap.data()) : undefined, claim);
      if (write) tx.set(ref, this.stored(write, claim.nowMs));
      return answer;
    });
  }

  async settle(key: string, owner: string, settlement: OnceSettlement, nowMs: number): Promise<OnceRecord | undefined> {
    const ref = this.ref(key);
    return this.db().runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const next = settleStep(snap.exists ? storedOnceRecord.parse(snap.data()) : undefined, owner, settlement, nowMs);
      if (next) tx.set(ref, this.stored(next, nowMs));
      return next;
    });
  }

  async get(key: string): Promise<OnceRecord | undefined> {
    const snap = await this.ref(key).get();
    return snap.exists ? storedOnceRecord.parse(snap.data()) : undefined;
  }
}

/** Records of processed events expire after a week (Firestore TTL on `expireAt`); redeliveries come within minutes. */
const PROCESSED_RETAIN_MS = 7 * 24 * 60 * 60 * 1000;

/** The shared ledger of `processed_events`; keys start with the function's name, so triggers never collide. */
export function processedEventsLedger(): FirestoreOnceLedger {
  return new FirestoreOnceLedger(PROCESSED_EVENTS, { retainMs: PROCESSED_RETAIN_MS });
}
