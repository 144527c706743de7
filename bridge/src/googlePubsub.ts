/**
 * The production Pub/Sub side. The client library itself switches to the emulator when PUBSUB_EMULATOR_HOST is set.
 */
import type { PubSub, Topic } from "@google-cloud/pubsub";
import type { PubSubPort, PubSubSubscription } from "./pubsub";

export async function googlePubSub(projectId: string | undefined, onError: (err: Error) => void): Promise<PubSubPort> {
  const { PubSub: Client } = await import("@google-cloud/pubsub");
  const client: PubSub = new Client(projectId ? { projectId } : {});
  const topics = new Map<string, Topic>();
  return {
    publish(topicName, data, attributes) {
      let topic = topics.get(topicName);
      if (!topic) {
        // Many inbound publishes are in flight at once, so batches fill by count; the short window bounds the added latency.
        topic = client.topic(topicName, { batching: { maxMessages: 100, maxMilliseconds: 2 } });
        topics.set(topicName, topic);
      }
      return topic.publishMessage({ data, attributes });
    },
    subscribe(name, maxInFlight, onMessage): PubSubSubscription {
      const subscription = client.subscription(name, { flowControl: { maxMessages: maxInFlight, allowExcessMessages: false } });
      subscription.on("message", (m: { id: string; data: Buffer; attributes: Record<string, string>; ack(): void; nack(): void }) =>
        onMessage({ id: m.id, data: m.data, attributes: m.attributes, ack: () => m.ack(), nack: () => m.nack() }),
      );
      subscription.on("error", onError);
      return { close: () => subscription.close() };
    },
    async close() {
      await Promise.all([...topics.values()].map((t) => t.flush()));
      await client.close();
    },
  };
}
