import { strict as assert } from "node:assert";
import type { AlertGate } from "../../src/integrations/alerts";

const WINDOW = 60_000;

/**
 * The contract every AlertGate honours. The memory gate runs it in the unit tier; the Firestore gate runs the same
 * cases against the Firestore emulator in the full tier.
 */
export function alertGateContract(make: () => Promise<AlertGate>): void {
  let gate: AlertGate;
  beforeEach(async () => {
    gate = await make();
  });

  it("admits a key once per window and counts what it held back", async () => {
    const t = Date.UTC(2026, 10, 27);
    assert.deepEqual(await gate.admit("k", t, WINDOW), { admitted: true, suppressed: 0 });
    assert.deepEqual(await gate.admit("k", t + 1, WINDOW), { admitted: false, suppressed: 1 });
    assert.deepEqual(await gate.admit("k", t + WINDOW - 1, WINDOW), { admitted: false, suppressed: 2 });
    assert.deepEqual(await gate.admit("other/key", t + 1, WINDOW), { admitted: true, suppressed: 0 });
    assert.deepEqual(await gate.admit("k", t + WINDOW, WINDOW), { admitted: true, suppressed: 2 });
    assert.deepEqual(await gate.admit("k", t + WINDOW + 1, WINDOW), { admitted: false, suppressed: 1 });
  });

  it("admits exactly one of many concurrent attempts with the same key", async () => {
    const t = Date.UTC(2026, 10, 27);
    const decisions = await Promise.all(Array.from({ length: 10 }, () => gate.admit("burst", t, WINDOW)));
    assert.equal(decisions.filter((d) => d.admitted).length, 1);
    assert.deepEqual(await gate.admit("burst", t + 1, WINDOW), { admitted: false, suppressed: 10 });
  });
}
