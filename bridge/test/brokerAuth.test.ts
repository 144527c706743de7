import { strict as assert } from "node:assert";
import { type IClientOptions, type MqttClient, connectAsync } from "mqtt";
import { startEmbeddedBroker } from "../src/embeddedBroker";
import { localUser } from "./support/localUser";
import { startMosquitto, mosquittoUnavailable } from "./support/mosquitto";
import { rabbitmqUnavailable, startRabbitMq } from "./support/rabbitmq";
import { waitForMessage } from "./support/bridgePipeline";
import { useBroker } from "./support/brokers";

const WAIT_MS = 15_000;

interface AuthBroker {
  name: string;
  /** Whether a forbidden SUBSCRIBE is refused; Mosquitto 2.0 grants it and filters each delivery by the ACL instead. */
  refusesSubscribe: boolean;
  unavailable(): string | undefined;
  start(): Promise<{ url: string; stop(): Promise<void> }>;
}

const BROKERS: AuthBroker[] = [
  {
    name: "aedes",
    refusesSubscribe: true,
    unavailable: () => undefined,
    async start() {
      const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
      return { url: `mqtt://127.0.0.1:${broker.port}`, stop: () => broker.close() };
    },
  },
  {
    name: "rabbitmq",
    refusesSubscribe: true,
    unavailable: rabbitmqUnavailable,
    async start() {
      const rabbit = await startRabbitMq();
      return { url: rabbit.mqttUrl, stop: () => rabbit.stop() };
    },
  },
  { name: "mosquitto", refusesSubscribe: false, unavailable: mosquittoUnavailable, start: startMosquitto },
];

/**
 * The broker side of the identity model on every broker the configs cover: aedes with `BROKER_ACL`, RabbitMQ with
 * the committed definitions.json, Mosquitto with the committed ACL. No anonymous or wrong-password client gets in;
 * a device cannot publish status for another device or pose as the backend, nor read another device's replies.
 */
for (const kind of BROKERS) {
  describe(`broker authentication and topic rules on ${kind.name}`, function () {
    this.timeout(120_000);
    const clients: MqttClient[] = [];
    const broker = useBroker(kind, clients);
    let n = 0;

    const options = (extra: IClientOptions): IClientOptions => ({
      clientId: `auth-${kind.name}-${process.pid}-${++n}`,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...extra,
    });

    async function as(username: string): Promise<MqttClient> {
      const c = await connectAsync(broker().url, options({ username, password: localUser(username).password }));
      clients.push(c);
      return c;
    }

    async function refusal(extra: IClientOptions): Promise<string> {
      try {
        const c = await connectAsync(broker().url, options(extra));
        clients.push(c);
        return "connected";
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    }

    it("refuses anonymous clients, unknown users and wrong passwords; accepts each local user", async () => {
      assert.match(await refusal({}), /Not authorized|Bad username or password/);
      assert.match(await refusal({ username: "android" }), /Not authorized|Bad username or password/);
      assert.match(await refusal({ username: "android", password: "guess" }), /Not authorized|Bad username or password/);
      assert.match(await refusal({ username: "intruder", password: "android-local" }), /Not authorized|Bad username or password/);
      for (const username of ["wolley-bridge", "smarthome", "android", "car", "camera"]) assert.ok((await as(username)).connected, username);
    });

    it("delivers nothing a device publishes outside its own topics: another device's status, a command to the home", async () => {
      const backend = await as("wolley-bridge");
      await backend.subscribeAsync("data/smarthome", { qos: 1 });
      const home = await as("smarthome");
      await home.subscribeAsync("webos/smarthome/info", { qos: 1 });
      const seenByBackend: string[] = [];
      const seenByHome: string[] = [];
      backend.on("message", (_t, p) => seenByBackend.push(p.toString()));
      home.on("message", (_t, p) => seenByHome.push(p.toString()));

      const car = await as("car");
      // The broker may drop the message or close the connection (aedes, RabbitMQ): either way nothing is routed.
      void car.publishAsync("data/smarthome", "111111111", { qos: 1 }).catch(() => undefined);
      const intruder = await as("android");
      void intruder.publishAsync("webos/smarthome/info", "111111111", { qos: 0 }).catch(() => undefined);

      // Markers from the rightful publishers, sent after the refused ones: once they arrive the others had their chance.
      const statusMarker = waitForMessage(backend, "data/smarthome", WAIT_MS);
      await home.publishAsync("data/smarthome", "009060210", { qos: 1 });
      assert.equal(await statusMarker, "009060210");
      const commandMarker = waitForMessage(home, "webos/smarthome/info", WAIT_MS);
      await backend.publishAsync("webos/smarthome/info", "000000000", { qos: 1 });
      assert.equal(await commandMarker, "000000000");
      assert.deepEqual(seenByBackend, ["009060210"]);
      assert.deepEqual(seenByHome, ["000000000"]);
    });

    it("lets a device subscribe to its own replies only", async () => {
      const android = await as("android");
      await android.subscribeAsync("webos/android/info", { qos: 1 });
      const car = await as("car");
      const spied: string[] = [];
      car.on("message", (t) => spied.push(t));
      const granted = await car.subscribeAsync(["webos/android/info", "webos/server"], { qos: 1 }).then(
        (grants) => grants.map((g) => g.qos),
        () => "refused",
      );
      // A failure return code (0x80) per filter, or (RabbitMQ) the connection closed.
      if (kind.refusesSubscribe) assert.ok(granted === "refused" || (Array.isArray(granted) && granted.every((q) => q === 128)), `granted ${JSON.stringify(granted)}`);
      const reply = waitForMessage(android, "webos/android/info", WAIT_MS);
      const backend = await as("wolley-bridge");
      await backend.publishAsync("webos/android/info", "for android", { qos: 1 });
      assert.equal(await reply, "for android");
      await backend.subscribeAsync("webos/server", { qos: 1 });
      const command = waitForMessage(backend, "webos/server", WAIT_MS);
      await (await as("camera")).publishAsync("webos/server", "{}", { qos: 1 });
      await command;
      // The android reply and the camera's command have both been routed by now; the car got neither.
      assert.deepEqual(spied, []);
    });
  });
}
