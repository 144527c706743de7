import assert from "node:assert/strict";
import { Pool } from "../../src/core/pool";

/** A task the test finishes by hand, so concurrency is observed without timing. */
function gate(): { promise: Promise<void>; open: () => void; fail: (err: Error) => void } {
  let open!: () => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("Pool (core/pool.ts)", () => {
  it("keeps at most `limit` tasks in flight and holds the producer back until a slot frees", async () => {
    const pool = new Pool(2);
    const gates = [gate(), gate(), gate()];
    let running = 0;
    let peak = 0;
    const task = (g: ReturnType<typeof gate>) => async (): Promise<void> => {
      running++;
      peak = Math.max(peak, running);
      await g.promise;
      running--;
    };
    await pool.run(task(gates[0]!));
    await pool.run(task(gates[1]!));
    let thirdStarted = false;
    const third = pool.run(task(gates[2]!)).then(() => {
      thirdStarted = true;
    });
    await tick();
    assert.equal(thirdStarted, false);
    assert.equal(running, 2);
    gates[0]!.open();
    await third;
    assert.equal(thirdStarted, true);
    gates[1]!.open();
    gates[2]!.open();
    await pool.drain();
    assert.equal(peak, 2);
    assert.equal(running, 0);
  });

  it("rethrows the first failure from drain and from the next run", async () => {
    const pool = new Pool(4);
    const first = gate();
    const second = gate();
    await pool.run(() => first.promise);
    await pool.run(() => second.promise);
    first.fail(new Error("first"));
    second.fail(new Error("second"));
    await assert.rejects(pool.drain(), /first/);
    await assert.rejects(pool.run(() => Promise.resolve()), /first/);
  });
});
