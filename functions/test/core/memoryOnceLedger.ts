/** The in-memory once ledger: the same contract as the Firestore one (onceLedgerContract.ts). */
import { type ClaimAnswer, type OnceClaim, type OnceLedger, type OnceRecord, type OnceSettlement, claimStep, settleStep } from "../../src/core/once";

export class MemoryOnceLedger implements OnceLedger {
  readonly records = new Map<string, OnceRecord>();

  claim(key: string, claim: OnceClaim): Promise<ClaimAnswer> {
    const { write, answer } = claimStep(this.records.get(key), claim);
    if (write) this.records.set(key, write);
    return Promise.resolve({ ...answer, record: { ...answer.record } });
  }

  settle(key: string, owner: string, settlement: OnceSettlement, nowMs: number): Promise<OnceRecord | undefined> {
    const next = settleStep(this.records.get(key), owner, settlement, nowMs);
    if (next) this.records.set(key, next);
    return Promise.resolve(next ? { ...next } : undefined);
  }

  /** The keys whose work is done, in claim order. */
  done(): string[] {
    return [...this.records].filter(([, record]) => record.state === "done").map(([key]) => key);
  }

  get(key: string): Promise<OnceRecord | undefined> {
    const record = this.records.get(key);
    return Promise.resolve(record ? { ...record } : undefined);
  }
}
