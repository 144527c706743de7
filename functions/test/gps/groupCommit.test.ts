import { strict as assert } from "node:assert";
import fc from "fast-check";
import { GroupCommit, type Outcome } from "../../src/gps/groupCommit";

/**
 * The group commit against a fake committer whose commits finish in an order fast-check's scheduler picks: every
 * interleaving of submissions and commit completions it tries keeps every point of every caller stored exactly once,
 * resolves each caller only after a commit holding its points has finished, and never runs two commits of one key
 * at once.
 */
interface Upload {
  caller: number;
  points: readonly number[];
}

/** A request the committer refuses on its own (like a day over capacity); the rest of its group commits. */
const REFUSED = -1;

describe("GroupCommit", () => {
  it("stores every point of every concurrent caller exactly once, and answers each after its commit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ key: fc.constantFrom("a", "b"), points: fc.uniqueArray(fc.nat(50), { maxLength: 4 }), refused: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        async (s, submissions, maxGroup, failures) => {
          const stored = new Map<string, number[]>();
          const committed = new Set<number>();
          const running = new Set<string>();
          let commits = 0;
          const groupCommit = new GroupCommit<Upload, number>({
            canJoin: (group) => group.length < maxGroup,
            commit: async (key, group) => {
              assert.ok(!running.has(key), `two commits of ${key} at once`);
              assert.ok(group.length >= 1 && group.length <= maxGroup);
              running.add(key);
              const fails = failures[commits++ % failures.length] === true;
              try {
                await s.schedule(Promise.resolve(), `commit ${key} of ${group.map((u) => u.caller).join(",")}`);
                if (fails) throw new Error("transaction aborted");
                const outcomes: Outcome<number>[] = group.map((u) => {
                  if (u.points.includes(REFUSED)) return { ok: false, error: new RangeError(`refused ${u.caller}`) };
                  const day = stored.get(key) ?? [];
                  const fresh = u.points.filter((p) => !day.includes(p));
                  stored.set(key, [...day, ...fresh]);
                  committed.add(u.caller);
                  return { ok: true, value: fresh.length };
                });
                return outcomes;
              } finally {
                running.delete(key);
              }
            },
          });
          const results = submissions.map((sub, caller) => {
            const points = sub.refused ? [...sub.points, REFUSED] : sub.points;
            return s
              .schedule(Promise.resolve(), `submit ${caller}`)
              .then(() => groupCommit.submit(sub.key, { caller, points }))
              .then(
                (inserted) => {
                  assert.ok(committed.has(caller), `caller ${caller} answered before its points were committed`);
                  for (const p of points) assert.ok(stored.get(sub.key)?.includes(p), `caller ${caller}: point ${p} missing`);
                  return { caller, ok: true as const, inserted };
                },
                (error: unknown) => {
                  assert.ok(!committed.has(caller), `caller ${caller} failed although its points were committed`);
                  return { caller, ok: false as const, error };
                },
              );
          });
          const answered = await s.waitFor(Promise.all(results));
          for (const [key, points] of stored) assert.equal(new Set(points).size, points.length, `a point of ${key} stored twice`);
          for (const a of answered) {
            const sub = submissions[a.caller] as (typeof submissions)[number];
            if (sub.refused) assert.ok(!a.ok, `refused caller ${a.caller} was answered as stored`);
          }
          // Every point of every caller that was told "stored" is stored, and nothing else is.
          for (const key of ["a", "b"]) {
            const expected = new Set(answered.filter((a) => a.ok && submissions[a.caller]?.key === key).flatMap((a) => submissions[a.caller]?.points ?? []));
            assert.deepEqual(new Set(stored.get(key) ?? []), expected, key);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("merges the callers that arrive while a commit is in flight into the next commit", async () => {
    const groups: number[][] = [];
    let release: () => void = () => undefined;
    const groupCommit = new GroupCommit<number, number>({
      canJoin: () => true,
      commit: async (_key, group) => {
        groups.push([...group]);
        if (groups.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return group.map((n) => ({ ok: true as const, value: n * 10 }));
      },
    });
    const first = groupCommit.submit("u", 0);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = Array.from({ length: 39 }, (_, i) => groupCommit.submit("u", i + 1));
    release();
    assert.deepEqual(await Promise.all([first, ...rest]), Array.from({ length: 40 }, (_, i) => i * 10));
    assert.deepEqual(groups.map((g) => g.length), [1, 39]);
  });

  it("fails every caller of a commit that fails, and keeps serving the key afterwards", async () => {
    let calls = 0;
    const groupCommit = new GroupCommit<number, number>({
      canJoin: () => true,
      commit: (_key, group) => (calls++ === 0 ? Promise.reject(new Error("aborted")) : Promise.resolve(group.map((n) => ({ ok: true as const, value: n })))),
    });
    const failed = await Promise.allSettled([groupCommit.submit("u", 1), groupCommit.submit("u", 2)]);
    assert.deepEqual(failed.map((r) => r.status), ["rejected", "rejected"]);
    assert.equal(await groupCommit.submit("u", 3), 3);
  });
});
