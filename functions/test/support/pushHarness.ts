import { InMemoryRunStore } from "../notifications/memoryStore";
import type { PushDeps, PushOptions } from "../../src/notifications/topicPush";
import { WAKEUP_TOPIC } from "../../src/notifications/topics";
import { FakeFcm, type FakeFcmBehaviour } from "./fakeFcm";

/** In-memory ports with a virtual clock: `sleep` advances time instead of waiting, and every wait is recorded. */
export function pushHarness(behaviour: FakeFcmBehaviour = {}, startMs = Date.parse("2026-11-23T15:30:00.000Z"), fcm = new FakeFcm(behaviour)) {
  const runs = new InMemoryRunStore();
  const clock = { now: startMs };
  const sleeps: number[] = [];
  let owners = 0;
  const deps: PushDeps = {
    runs,
    messenger: fcm,
    now: () => clock.now,
    sleep: (ms) => {
      sleeps.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    newOwner: () => `owner-${++owners}`,
  };
  return { runs, fcm, clock, sleeps, deps };
}

export function testOptions(overrides: Partial<PushOptions> = {}): PushOptions {
  return {
    topic: WAKEUP_TOPIC,
    maxAttempts: 4,
    backoff: { baseMs: 100, maxMs: 2000, maxRetryAfterMs: 10_000 },
    leaseMs: 60_000,
    staleAfterMs: 25 * 60_000,
    ...overrides,
  };
}
