import { strict as assert } from "node:assert";
import fc from "fast-check";
import { type PushKind, TTL_MS, buildTopicMessage } from "../../src/notifications/messages";

const NOW = Date.parse("2026-11-23T15:30:00.000Z");
const TOPIC = "wolley-wakeup";

/** The APNs block of a push sent at NOW: collapsed and threaded by kind, expiring `ttlSeconds` later. */
function expectedApns(kind: PushKind, pushType: string, priority: string, ttlSeconds: number) {
  return {
    headers: {
      "apns-push-type": pushType,
      "apns-priority": priority,
      "apns-expiration": String(NOW / 1000 + ttlSeconds),
      "apns-collapse-id": kind,
    },
    payload: { aps: { contentAvailable: true, threadId: kind } },
  };
}

describe("notifications/messages", () => {
  it("saveLocation: silent on iOS (background push type, priority 5, content-available, thread-id)", () => {
    const message = buildTopicMessage("saveLocation", TOPIC, NOW);
    assert.deepEqual(message.apns, expectedApns("saveLocation", "background", "5", 20 * 60));
    assert.equal(message.notification, undefined, "a silent push carries no notification");
  });

  it("saveLocation: data-only at normal priority on Android, with TTL and collapse key", () => {
    const message = buildTopicMessage("saveLocation", TOPIC, NOW);
    assert.deepEqual(message.data, { type: "saveLocation" });
    assert.deepEqual(message.android, { priority: "normal", ttl: 20 * 60_000, collapseKey: "saveLocation" });
    assert.deepEqual(Object.keys(message).sort(), ["android", "apns", "data", "topic"]);
  });

  it("pathDaily: exact visible payload on both platforms", () => {
    assert.deepEqual(buildTopicMessage("pathDaily", TOPIC, NOW), {
      topic: TOPIC,
      data: { type: "pathDaily" },
      notification: { title: "From Wolley 🗓", body: "일주일 동안의 기록을 확인해보세요!" },
      android: { priority: "high", ttl: 6 * 3600_000, collapseKey: "pathDaily", notification: { tag: "pathDaily" } },
      apns: expectedApns("pathDaily", "alert", "10", 6 * 3600),
    });
  });

  it("addresses the topic and expires every wake-up before the next is due (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("saveLocation" as const, "pathDaily" as const),
        fc.stringMatching(/^[a-zA-Z0-9-_.~%]{1,64}$/),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        (kind, topic, now) => {
          const message = buildTopicMessage(kind, topic, now);
          assert.equal(message.topic, topic);
          const expiry = Number(message.apns.headers["apns-expiration"]);
          assert.equal(expiry, Math.floor((now + TTL_MS[kind]) / 1000));
          assert.ok(TTL_MS.saveLocation < 30 * 60_000);
        },
      ),
    );
  });
});
