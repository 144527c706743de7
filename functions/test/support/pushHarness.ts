import type { FanoutDeps, FanoutOptions } from "../../src/notifications/fanout";
import { InMemoryInstallationStore, InMemoryRunStore } from "../notifications/memoryStore";
import { FakePushTransport, type FakeTransportOptions, fakeToken } from "./fakePushTransport";

/** In-memory ports with a virtual clock: `sleep` advances time instead of waiting, and every wait is recorded. */
export function pushHarness(transportOptions: FakeTransportOptions = {}, startMs = Date.parse("2026-11-23T15:30:00.000Z")) {
  const installations = new InMemoryInstallationStore();
  const runs = new InMemoryRunStore();
  const transport = new FakePushTransport(transportOptions);
  const clock = { now: startMs };
  const sleeps: number[] = [];
  let owners = 0;
  const deps: FanoutDeps = {
    installations,
    runs,
    transport,
    now: () => clock.now,
    sleep: (ms) => {
      sleeps.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    newOwner: () => `owner-${++owners}`,
  };
  return { installations, runs, transport, clock, sleeps, deps };
}

export async function fillInstallations(store: InMemoryInstallationStore, count: number, nowMs = 0): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const token = fakeToken(i);
    tokens.push(token);
    await store.register(`user${i % 97}`, { installationId: `inst-${String(i).padStart(8, "0")}`, fcmToken: token, platform: i % 3 === 0 ? "ios" : "android" }, nowMs);
  }
  return tokens;
}

export function testOptions(overrides: Partial<FanoutOptions> = {}): FanoutOptions {
  return {
    chunkSize: 500,
    concurrency: 4,
    pageSize: 1000,
    maxAttempts: 4,
    backoff: { baseMs: 100, maxMs: 2000, maxRetryAfterMs: 10_000 },
    leaseMs: 60_000,
    maxMessagesPerSecond: Infinity,
    timeBudgetMs: 10 * 60_000,
    staleAfterMs: 25 * 60_000,
    skipIfFixWithinMs: 0,
    ...overrides,
  };
}
