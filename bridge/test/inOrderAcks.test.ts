import { strict as assert } from "node:assert";
import fc from "fast-check";
import { InOrderAcks } from "../src/inOrderAcks";
import { RecentMessages, contentKey } from "../src/redeliveries";

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

describe("redelivery keys", () => {
  it("depend on topic and payload only, and the memory keeps the most recent", () => {
    assert.equal(contentKey("webos/server", Buffer.from("x")), contentKey("webos/server", Buffer.from("x")));
    assert.notEqual(contentKey("webos/server", Buffer.from("x")), contentKey("data/smarthome", Buffer.from("x")));
    assert.notEqual(contentKey("a", Buffer.from("bc")), contentKey("ab", Buffer.from("c")));
    const recent = new RecentMessages(2);
    for (const k of ["1", "2", "1", "3"]) recent.remember(k, `id-${k}`);
    assert.deepEqual([recent.get("1") !== undefined, recent.get("2") !== undefined, recent.get("3") !== undefined, recent.size], [true, false, true, 2]);
  });

  it("remember the latest message of each content and forget the oldest first, whatever the order (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 60 }), (capacity, keys) => {
        const recent = new RecentMessages(capacity);
        keys.forEach((k, i) => recent.remember(String(k), `id-${i}`));
        // A model: the distinct keys among the last `capacity` remembered, each with its last id.
        const window = keys.map((k, i) => [k, i] as const).slice(-capacity);
        const expected = new Map(window.map(([k, i]) => [String(k), `id-${i}`]));
        assert.equal(recent.size, expected.size);
        for (const [k, id] of expected) assert.equal(recent.get(k)?.messageId, id);
      }),
    );
  });
});
