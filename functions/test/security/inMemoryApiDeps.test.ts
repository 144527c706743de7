import { strict as assert } from "node:assert";
import { fingerprint, inMemoryApiDeps } from "../support/inMemoryApiDeps";

const FCM_TOKEN = `fakeInstance:${"A".repeat(140)}`;

describe("in-memory api deps: the fuzz test's write counter", () => {
  it("counts a call that changes a store, not reads or no-op writes", async () => {
    const { deps, writes } = inMemoryApiDeps();
    assert.equal(await deps.installations.get("inst-00000001"), undefined);
    assert.equal(await deps.installations.unregister("alice", "inst-00000001"), false);
    assert.equal(writes.count(), 0);
    await deps.installations.register("alice", { installationId: "inst-00000001", fcmToken: FCM_TOKEN, platform: "ios" }, 1);
    assert.deepEqual(writes.calls(), ["installations.register"]);
    await deps.installations.get("inst-00000001");
    assert.equal(await deps.installations.unregister("bob", "inst-00000001"), false);
    assert.equal(writes.count(), 1);
    assert.equal(await deps.installations.unregister("alice", "inst-00000001"), true);
    assert.deepEqual(writes.calls(), ["installations.register", "installations.unregister"]);
  });

  it("counts a write even when the call then fails", async () => {
    const { deps, writes } = inMemoryApiDeps();
    const store = deps.installations as unknown as { explode: () => Promise<void> };
    Object.defineProperty(deps.installations, "explode", {
      configurable: true,
      value(this: Record<string, unknown>) {
        this.scribble = 1;
        return Promise.reject(new Error("after writing"));
      },
    });
    await assert.rejects(store.explode());
    assert.deepEqual(writes.calls(), ["installations.explode"]);
  });

  it("fingerprints equal data equally and different data differently", () => {
    const a = { m: new Map([["k", [1, 2]]]), s: new Set(["x"]), d: new Date(5), b: new Float64Array([1.5]) };
    const b = { b: new Float64Array([1.5]), d: new Date(5), s: new Set(["x"]), m: new Map([["k", [1, 2]]]) };
    assert.equal(fingerprint(a), fingerprint(b));
    b.m.get("k")?.push(3);
    assert.notEqual(fingerprint(a), fingerprint(b));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(typeof fingerprint(cyclic), "string");
  });
});
