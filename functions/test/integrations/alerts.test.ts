import { strict as assert } from "node:assert";
import nock from "nock";
import { type AlertGate, createAlerter, deviceAlertPayload } from "../../src/integrations/alerts";
import { MemoryAlertGate } from "./memoryAlertGate";
import { ChannelNotConfiguredError } from "../../src/integrations/alerter";
import { SlackError, postSlackMessage } from "../../src/integrations/slack";
import { loggedEntries } from "../support/quietLogs";
import { RecordingOutbound } from "../smarthome/fakes";
import { useNock } from "../support/nockSession";
import { alertGateContract } from "./alertGateContract";

const WINDOW = 60_000;

function harness(options: { slack?: (text: string) => Promise<void>; gate?: AlertGate; outboundFails?: boolean } = {}) {
  let now = Date.UTC(2026, 10, 27);
  const slackTexts: string[] = [];
  const outbound = new RecordingOutbound();
  if (options.outboundFails) outbound.failWith = new Error("broker down");
  const alerter = createAlerter({
    gate: options.gate ?? new MemoryAlertGate(),
    slack:
      options.slack ??
      ((text) => {
        slackTexts.push(text);
        return Promise.resolve();
      }),
    outbound,
    now: () => now,
    windowMs: WINDOW,
  });
  return { alerter, slackTexts, published: outbound.messages, advance: (ms: number) => (now += ms) };
}

describe("alerts", () => {
  describe("MemoryAlertGate contract", () => {
    alertGateContract(() => Promise.resolve(new MemoryAlertGate()));
  });

  it("sends an alert to Slack and to webos/<device>/error", async () => {
    const h = harness();
    await h.alerter.alert({ key: "smarthome:x", device: "smarthome", message: "status invalid", details: { value: "12" } });
    assert.deepEqual(h.slackTexts, ['[smarthome:x] status invalid\n{"value":"12"}']);
    assert.deepEqual(h.published, [
      { topic: "webos/smarthome/error", payload: JSON.stringify({ Producer: "server", command: "alert", msg: "status invalid", key: "smarthome:x" }), qos: 1 },
    ]);
  });

  it("sends backend-only alerts (no device) to Slack alone", async () => {
    const h = harness();
    await h.alerter.alert({ key: "weather:outage", message: "down" });
    assert.equal(h.slackTexts.length, 1);
    assert.equal(h.published.length, 0);
  });

  it("sends the same key at most once per window and counts what it held back", async () => {
    const h = harness();
    const alert = { key: "k", device: "car" as const, message: "m" };
    await h.alerter.alert(alert);
    await h.alerter.alert(alert);
    h.advance(WINDOW - 1);
    await h.alerter.alert(alert);
    assert.equal(h.slackTexts.length, 1);
    assert.equal(h.published.length, 1);
    h.advance(1);
    await h.alerter.alert(alert);
    assert.equal(h.slackTexts.length, 2);
    assert.match(h.slackTexts[1] ?? "", /2 repeats suppressed/);
    await h.alerter.alert({ ...alert, key: "other" });
    assert.equal(h.slackTexts.length, 3);
  });

  it("admits one of many concurrent alerts with the same key", async () => {
    const h = harness();
    await Promise.all(Array.from({ length: 20 }, () => h.alerter.alert({ key: "same", message: "m" })));
    assert.equal(h.slackTexts.length, 1);
  });

  it("never rejects when Slack fails, throws synchronously, or the broker is down", async () => {
    const failing = harness({ slack: () => Promise.reject(new SlackError("slack webhook answered 500", 500)) });
    await failing.alerter.alert({ key: "a", device: "android", message: "m" });
    assert.equal(failing.published.length, 1, "MQTT still gets the alert when Slack fails");

    const throwing = harness({
      slack: () => {
        throw new Error("sync");
      },
    });
    await throwing.alerter.alert({ key: "a", device: "android", message: "m" });
    assert.equal(throwing.published.length, 1);

    const brokerDown = harness({ outboundFails: true });
    await brokerDown.alerter.alert({ key: "a", device: "android", message: "m" });
    assert.equal(brokerDown.slackTexts.length, 1);
  });

  it("notes an unconfigured Slack in one info line, not as a failure", async () => {
    const h = harness({ slack: () => Promise.reject(new ChannelNotConfiguredError("slack")) });
    await h.alerter.alert({ key: "a", device: "android", message: "m" });
    assert.equal(h.published.length, 1);
    const entries = loggedEntries().filter((e) => String(e.event).startsWith("alert_channel"));
    assert.deepEqual(entries.map((e) => [e.severity, e.event, e.channel]), [["INFO", "alert_channel_not_configured", "slack"]]);
  });

  it("still alerts when the dedupe store is unavailable", async () => {
    const h = harness({ gate: { admit: () => Promise.reject(new Error("firestore unavailable")) } });
    await h.alerter.alert({ key: "a", message: "m" });
    assert.equal(h.slackTexts.length, 1);
  });

  it("uses the original device payload", () => {
    assert.deepEqual(JSON.parse(deviceAlertPayload({ key: "k", message: "오류" })), { Producer: "server", command: "alert", msg: "오류", key: "k" });
  });

  describe("Slack incoming webhook", () => {
    const HOOK = "https://hooks.slack.com";
    const PATH = "/services/T000/B000/secret";
    useNock();

    it("posts the text as JSON", async () => {
      const scope = nock(HOOK).post(PATH, { text: "hello" }).matchHeader("content-type", /application\/json/).reply(200, "ok");
      await postSlackMessage(`${HOOK}${PATH}`, "hello");
      assert.ok(scope.isDone());
    });

    it("rejects non-2xx answers and network errors without leaking the URL", async () => {
      nock(HOOK).post(PATH).reply(404, "no_service");
      await assert.rejects(postSlackMessage(`${HOOK}${PATH}`, "x"), (err: Error) => err instanceof SlackError && err.message === "slack webhook answered 404");
      nock(HOOK).post(PATH).replyWithError(Object.assign(new Error(`connect ${PATH}`), { code: "ECONNREFUSED" }));
      await assert.rejects(postSlackMessage(`${HOOK}${PATH}`, "x"), (err: Error) => err instanceof SlackError && !err.message.includes("secret"));
    });

    it("rejects an unset webhook URL without a request", async () => {
      await assert.rejects(postSlackMessage("", "x"), (err: Error) => err instanceof ChannelNotConfiguredError);
      await assert.rejects(postSlackMessage("http://hooks.example/x", "x"), (err: Error) => err instanceof SlackError && /https/.test(err.message));
    });
  });
});
