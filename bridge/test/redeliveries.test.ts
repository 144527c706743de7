import { strict as assert } from "node:assert";
import fc from "fast-check";
import { type Copy, RecentMessages, Redeliveries, contentKey } from "../src/redeliveries";

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

describe("Redeliveries", () => {
  const WINDOW = 1_000;
  function classifier() {
    let clock = 0;
    let ids = 0;
    const r = new Redeliveries(100, WINDOW, () => `fresh-${++ids}`, () => clock);
    const arrive = (payload: string, dup = false): Copy => r.classify("webos/server", Buffer.from(payload), dup);
    const accept = (copy: Copy) => {
      if (copy !== "skip") copy.accepted = true;
      return copy;
    };
    return { r, arrive, accept, advance: (ms: number) => void (clock += ms) };
  }

  it("forwards identical fresh sends as messages of their own on the first connection", () => {
    const { r, arrive, accept } = classifier();
    r.connected();
    const first = accept(arrive("signin"));
    const second = arrive("signin");
    assert.ok(first !== "skip" && second !== "skip");
    assert.notEqual(first.messageId, second.messageId);
  });

  it("skips a DUP=1 copy Pub/Sub has, and gives one still being published the first copy's id", () => {
    const { r, arrive, accept } = classifier();
    r.connected();
    const pending = arrive("status");
    const copy = arrive("status", true);
    assert.deepEqual(copy, pending);
    accept(pending);
    assert.equal(arrive("status", true), "skip");
  });

  it("gives a DUP=1 copy it never saw its content key as id, the same in every process", () => {
    const a = classifier();
    const b = classifier();
    const ca = a.arrive("x", true);
    const cb = b.arrive("x", true);
    assert.ok(ca !== "skip" && cb !== "skip");
    assert.equal(ca.messageId, contentKey("webos/server", Buffer.from("x")));
    assert.equal(ca.messageId, cb.messageId);
  });

  it("after a reconnect, takes a DUP=0 message identical to a forwarded one for its retransmission until the window ends", () => {
    const { r, arrive, accept, advance } = classifier();
    r.connected();
    accept(arrive("signup"));
    r.connected();
    const fresh = accept(arrive("other"));
    assert.notEqual(fresh, "skip");
    advance(WINDOW - 1);
    assert.equal(arrive("signup"), "skip", "a retransmission after fresh messages, still in the window");
    advance(1);
    assert.notEqual(arrive("signup"), "skip", "after the window it is a deliberate re-send");
  });

  it("never skips a message whose content it has not forwarded, nor a fresh one outside a window (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ payload: fc.integer({ min: 0, max: 5 }), dup: fc.boolean(), reconnect: fc.boolean(), wait: fc.integer({ min: 0, max: 2 * WINDOW }) }), { maxLength: 80 }),
        (steps) => {
          const { r, arrive, accept, advance } = classifier();
          r.connected();
          const forwarded = new Set<number>();
          let sinceReconnect = Infinity;
          for (const step of steps) {
            if (step.reconnect) {
              r.connected();
              sinceReconnect = 0;
            }
            advance(step.wait);
            sinceReconnect += step.wait;
            const copy = arrive(String(step.payload), step.dup);
            const mayBeCopy = forwarded.has(step.payload) && (step.dup || sinceReconnect < WINDOW);
            assert.equal(copy === "skip", mayBeCopy, JSON.stringify(step));
            accept(copy);
            forwarded.add(step.payload);
          }
        },
      ),
    );
  });
});
