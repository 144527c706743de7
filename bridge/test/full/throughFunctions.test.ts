import { strict as assert } from "node:assert";
import { setTimeout as sleep } from "node:timers/promises";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import type { PubSub } from "@google-cloud/pubsub";
import { MQTT, PUBSUB, infoTopic } from "@wolley/contract";
import type { MqttClient } from "mqtt";
import { Bridge } from "../../src/bridge";
import { type EmbeddedBroker, startEmbeddedBroker } from "../../src/embeddedBroker";
import { googlePubSub } from "../../src/googlePubsub";
import type { PubSubPort } from "../../src/pubsub";
import { bridgeCredentials, client, quietLog, waitForMessage } from "../support/bridgePipeline";

const ALREADY_EXISTS = 6;
const WAIT_MS = 60_000;

/**
 * A device's MQTT command all the way through the deployed shape: the embedded broker, the bridge, the Pub/Sub
 * emulator, `mqttInbound` running from functions/lib in the Functions emulator (writing Firestore), and the reply
 * back through `mqtt-outbound`, the bridge and the broker. The command carries a real ID token from the Auth
 * emulator, which the deployed function verifies with the Admin SDK. Run under `firebase emulators:exec` with
 * auth, functions, firestore and pubsub (tier 5 of `npm test`).
 */
describe("MQTT through the bridge, the Pub/Sub emulator and mqttInbound in the Functions emulator", function () {
  this.timeout(120_000);
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";
  const run = `${process.pid}-${Date.now().toString(36)}`;
  let admin: PubSub | undefined;
  let port: PubSubPort | undefined;
  let broker: EmbeddedBroker | undefined;
  let bridge: Bridge | undefined;
  const clients: MqttClient[] = [];

  before(async function () {
    const missing = ["PUBSUB_EMULATOR_HOST", "FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST", "FIREBASE_EMULATOR_HUB"].filter((name) => !process.env[name]);
    if (missing.length > 0) {
      console.log(`skipped: ${missing.join(", ")} unset (run under firebase emulators:exec with auth, functions, firestore and pubsub)`);
      this.skip();
    }
    const { PubSub: Client } = await import("@google-cloud/pubsub");
    admin = new Client({ projectId: project });
    // The Functions emulator created mqtt-inbound for mqttInbound's trigger; the outbound side is the bridge's own.
    for (const create of [
      () => admin!.createTopic(PUBSUB.outboundTopic),
      () => admin!.topic(PUBSUB.outboundTopic).createSubscription(PUBSUB.outboundSubscription, { ackDeadlineSeconds: 30 }),
    ]) {
      await create().catch((err: { code?: number }) => {
        if (err.code !== ALREADY_EXISTS) throw err;
      });
    }
    port = await googlePubSub(project, () => undefined);
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    bridge = new Bridge({
      mqtt: { url: `mqtt://127.0.0.1:${broker.port}`, clientId: `bridge-${run}`, topics: [MQTT.serverCommands, MQTT.smarthomeStatus], ...bridgeCredentials },
      pubsub: port,
      inboundTopic: PUBSUB.inboundTopic,
      outboundSubscription: PUBSUB.outboundSubscription,
      maxInFlight: 10,
      reconnect: { minMs: 50, maxMs: 1_000 },
      log: quietLog,
    });
    bridge.start();
    await bridge.whenReady(WAIT_MS);
  });

  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await bridge?.stop(1_000);
    await port?.close();
    await admin?.close();
    await broker?.close();
  });

  /** A fresh account in the Auth emulator, with its ID token. */
  async function authEmulatorSignUp(): Promise<{ uid: string; idToken: string }> {
    const res = await fetch(`http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=fake-api-key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `mqtt-${run}@wolley.example`, password: "e2e-password", returnSecureToken: true }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const json = (await res.json()) as { localId: string; idToken: string };
    return { uid: json.localId, idToken: json.idToken };
  }

  it("signup, then signin, is answered with return_name on webos/android/info", async () => {
    const url = `mqtt://127.0.0.1:${broker!.port}`;
    const device = await client(url, `device-${run}`);
    const app = await client(url, `app-${run}`);
    clients.push(device, app);
    const replies = infoTopic("android");
    await app.subscribeAsync(replies, { qos: 1 });
    const { uid, idToken } = await authEmulatorSignUp();
    await device.publishAsync(MQTT.serverCommands, JSON.stringify({ Producer: "android", command: "signup", UID: uid, name: "Kim", idToken }), { qos: 1 });
    // Pub/Sub does not order deliveries and the bridge forwards many at once, so a signin sent right behind its
    // signup may be handled first. An app waits for the account; here, for the stored user_account. (A resent
    // identical signin would be taken for a redelivery of the first and not forwarded again.)
    if (getApps().length === 0) initializeApp({ projectId: project });
    const account = getFirestore().collection("user_account").doc(uid);
    const deadline = Date.now() + WAIT_MS;
    while (!(await account.get()).exists) {
      if (Date.now() > deadline) assert.fail(`user_account/${uid} not stored within ${WAIT_MS} ms`);
      await sleep(250);
    }
    const reply = waitForMessage(app, replies, WAIT_MS, (payload) => payload.includes("return_name"));
    await device.publishAsync(MQTT.serverCommands, JSON.stringify({ Producer: "android", command: "signin", UID: uid, idToken }), { qos: 1 });
    assert.deepEqual(JSON.parse(await reply), { Producer: "server", command: "return_name", name: "Kim" });
  });
});
