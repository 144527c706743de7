/** The in-memory alert gate: the same contract as the Firestore one (alertGateContract.ts). */
import type { AlertGate } from "../../src/integrations/alerts";

export class MemoryAlertGate implements AlertGate {
  private readonly state = new Map<string, { sentAt: number; suppressed: number }>();

  admit(key: string, nowMs: number, windowMs: number): Promise<{ admitted: boolean; suppressed: number }> {
    const entry = this.state.get(key);
    if (entry && nowMs - entry.sentAt < windowMs) {
      entry.suppressed += 1;
      return Promise.resolve({ admitted: false, suppressed: entry.suppressed });
    }
    this.state.set(key, { sentAt: nowMs, suppressed: 0 });
    return Promise.resolve({ admitted: true, suppressed: entry?.suppressed ?? 0 });
  }
}
