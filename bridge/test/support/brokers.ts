/** The real brokers the bridge is proven against: aedes in-process (always) and RabbitMQ (when installed). */
import memoryPersistence from "aedes-persistence";
import type { MqttClient } from "mqtt";
import { type EmbeddedBroker, startEmbeddedBroker } from "../../src/embeddedBroker";
import { rabbitmqUnavailable, startRabbitMq } from "./rabbitmq";

interface TestBroker {
  url: string;
  /** Stops the broker and starts it again on the same port with the same durable state. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface BrokerKind {
  name: string;
  unavailable(): string | undefined;
  start(): Promise<TestBroker>;
}

/**
 * The hooks of a suite on one broker: starts it before the suite, or skips the suite printing why it cannot start;
 * ends the clients the tests pushed to `clients` after each test; stops the broker after the suite.
 * Returns the running broker.
 */
export function useBroker<B extends { stop(): Promise<void> }>(
  kind: { unavailable(): string | undefined; start(): Promise<B> },
  clients: MqttClient[],
): () => B {
  let broker: B | undefined;
  before(async function () {
    const reason = kind.unavailable();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    broker = await kind.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  });
  after(async () => {
    await broker?.stop();
  });
  return () => {
    if (!broker) throw new Error("the suite's broker is not running");
    return broker;
  };
}

async function startAedes(): Promise<TestBroker> {
  // One persistence for every incarnation: sessions and queued QoS 1 messages survive a restart, as on a broker with disk.
  const persistence = memoryPersistence();
  let broker: EmbeddedBroker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0, persistence });
  const port = broker.port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async restart(downMs) {
      await broker.close();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      broker = await startEmbeddedBroker({ host: "127.0.0.1", port, persistence });
    },
    stop: () => broker.close(),
  };
}

export const BROKERS: BrokerKind[] = [
  { name: "aedes", unavailable: () => undefined, start: startAedes },
  {
    name: "rabbitmq",
    unavailable: rabbitmqUnavailable,
    async start() {
      const rabbit = await startRabbitMq();
      return {
        url: rabbit.mqttUrl,
        async restart(downMs) {
          await rabbit.stopNode();
          await new Promise((resolve) => setTimeout(resolve, downMs));
          await rabbit.startNode();
        },
        stop: () => rabbit.stop(),
      };
    },
  },
];
