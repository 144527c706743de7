import { strict as assert } from "node:assert";
import fc from "fast-check";
import { InOrderAcks } from "../src/inOrderAcks";

describe("InOrderAcks", () => {
  it("releases every ack once, in arrival order, never before its own work finished", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }).chain((n) => fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), fc.array(fc.nat(), { maxLength: 20 }))),
        ([n, finishOrder, repeats]) => {
          const released: number[] = [];
          const finished = new Set<number>();
          const acks = new InOrderAcks<number>((i) => {
            assert.ok(finished.has(i), `ack ${i} released before its publish resolved`);
            released.push(i);
          });
          const done = [...Array(n).keys()].map((i) => acks.add(i));
          for (const i of finishOrder) {
            finished.add(i);
            done[i]?.();
            // Released is always the longest finished prefix of the arrivals.
            let prefix = 0;
            while (finished.has(prefix)) prefix += 1;
            assert.deepEqual(released, [...Array(prefix).keys()]);
          }
          for (const r of repeats) if (n > 0) done[r % n]?.();
          assert.deepEqual(released, [...Array(n).keys()]);
          assert.equal(acks.size, 0);
        },
      ),
    );
  });

  it("interleaving arrivals and finishes keeps the order", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 200 }), fc.nat(), (steps, seed) => {
        const released: number[] = [];
        const acks = new InOrderAcks<number>((i) => released.push(i));
        const open: { i: number; done: () => void }[] = [];
        let next = 0;
        let s = seed;
        for (const arrive of steps) {
          if (arrive || open.length === 0) {
            open.push({ i: next, done: acks.add(next) });
            next += 1;
          } else {
            s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
            open.splice(s % open.length, 1)[0]?.done();
          }
        }
        for (const o of open.splice(0)) o.done();
        assert.deepEqual(released, [...Array(next).keys()]);
      }),
    );
  });

  it("after clear, finishes of the old connection release nothing", () => {
    const released: string[] = [];
    const acks = new InOrderAcks<string>((i) => released.push(i));
    const a = acks.add("a");
    acks.clear();
    const b = acks.add("b");
    a();
    assert.deepEqual(released, []);
    b();
    assert.deepEqual(released, ["b"]);
  });
});
