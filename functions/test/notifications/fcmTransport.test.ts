import { strict as assert } from "node:assert";
import type { App } from "firebase-admin/app";
import { getMessaging } from "firebase-admin/messaging";
import { tokenAnswersOf } from "../../src/notifications/fcmTransport";
import { buildTopicMessage } from "../../src/notifications/messages";
import { decide } from "../../src/notifications/policy";
import { WAKEUP_TOPIC, failureOf } from "../../src/notifications/topics";
import { FakeFcmServer, connectRealClient } from "../support/fakeFcmServer";
import { fakeToken } from "../support/fakeFcm";

const NOW = Date.parse("2026-11-23T15:30:00.000Z");

/** The real firebase-admin client against FCM's HTTP surface on loopback: what the messenger puts on the wire. */
describe("notifications/fcmTransport (real firebase-admin over a loopback socket)", () => {
  let server: FakeFcmServer;
  let client: { app: App; restore: () => Promise<void> };
  let failNext: { status: number; errorStatus: string } | undefined;

  beforeEach(async () => {
    failNext = undefined;
    server = new FakeFcmServer({
      record: true,
      isDead: (token) => token === fakeToken(2),
      failTopicSend: () => failNext,
    });
    client = await connectRealClient(await server.listen(), `fcm-transport-${Date.now()}-${Math.random()}`);
  });
  afterEach(async () => {
    await client.restore();
    await server.close();
  });

  it("sends the saveLocation wake-up as FCM's v1 API receives it: background APNs headers, normal Android priority", async () => {
    await getMessaging(client.app).send(buildTopicMessage("saveLocation", WAKEUP_TOPIC, NOW));
    assert.deepEqual(server.topicMessages(), [
      {
        topic: WAKEUP_TOPIC,
        data: { type: "saveLocation" },
        android: { priority: "normal", ttl: "1200s", collapse_key: "saveLocation" },
        apns: {
          headers: { "apns-push-type": "background", "apns-priority": "5", "apns-expiration": String(NOW / 1000 + 1200), "apns-collapse-id": "saveLocation" },
          payload: { aps: { "content-available": 1, "thread-id": "saveLocation" } },
        },
      },
    ]);
  });

  it("sends the pathDaily push as visible on both platforms, with content-available for the upload", async () => {
    await getMessaging(client.app).send(buildTopicMessage("pathDaily", WAKEUP_TOPIC, NOW));
    assert.deepEqual(server.topicMessages(), [
      {
        topic: WAKEUP_TOPIC,
        data: { type: "pathDaily" },
        notification: { title: "From Wolley 🗓", body: "일주일 동안의 기록을 확인해보세요!" },
        android: { priority: "high", ttl: "21600s", collapse_key: "pathDaily", notification: { tag: "pathDaily" } },
        apns: {
          headers: { "apns-push-type": "alert", "apns-priority": "10", "apns-expiration": String(NOW / 1000 + 21600), "apns-collapse-id": "pathDaily" },
          payload: { aps: { "content-available": 1, "thread-id": "pathDaily" } },
        },
      },
    ]);
  });

  it("maps subscription answers per token: a dead token is pruned, the others are subscribed", async () => {
    const tokens = [fakeToken(1), fakeToken(2), fakeToken(3)];
    const response = await getMessaging(client.app).subscribeToTopic(tokens, WAKEUP_TOPIC);
    const answers = tokenAnswersOf(tokens.length, response);
    assert.deepEqual(answers.map((a) => (a.ok ? "ok" : decide(a))), ["ok", "prune", "ok"]);
    assert.deepEqual([...(server.topics.get(WAKEUP_TOPIC) ?? [])].sort(), [fakeToken(1), fakeToken(3)]);
  });

  it("maps FCM's refusals of a topic send to codes the push retries or gives up on", async () => {
    const messaging = getMessaging(client.app);
    const refusal = async (status: number, errorStatus: string) => {
      failNext = { status, errorStatus };
      const err: unknown = await messaging.send(buildTopicMessage("saveLocation", WAKEUP_TOPIC, NOW)).then(() => undefined, (e: unknown) => e);
      const failure = failureOf(err);
      return { code: failure.code, decision: decide(failure) };
    };
    assert.deepEqual(await refusal(429, "RESOURCE_EXHAUSTED"), { code: "messaging/message-rate-exceeded", decision: "retry" });
    assert.deepEqual(await refusal(500, "INTERNAL"), { code: "messaging/internal-error", decision: "retry" });
    assert.deepEqual(await refusal(400, "INVALID_ARGUMENT"), { code: "messaging/invalid-argument", decision: "fail" });
  });

  it("recovers the HTTP status of an answer without a JSON body, so 429 and 5xx are retried", () => {
    const raw = (text: string, status: number) =>
      Object.assign(new Error(`An unknown server error was returned. Raw server response: "${text}". Status code: ${status}.`), { code: "messaging/unknown-error" });
    for (const [text, status] of [["Too Many Requests", 429], ["<html>Bad Gateway</html>", 502], ["upstream timeout", 504]] as const) {
      const failure = failureOf(raw(text, status));
      assert.deepEqual({ status: failure.status, decision: decide(failure) }, { status, decision: "retry" });
    }
    const forbidden = failureOf(raw("Forbidden", 403));
    assert.deepEqual({ status: forbidden.status, decision: decide(forbidden) }, { status: 403, decision: "fail" });
  });
});
