/** The CloudEvent Eventarc delivers to `mqttInbound` for a message published to the inbound topic. */
import { PUBSUB } from "@wolley/contract";
import type { CloudEvent } from "firebase-functions/v2";
import type { MessagePublishedData } from "firebase-functions/v2/pubsub";

export interface PublishedMessage {
  id: string;
  data: Buffer;
  attributes: Record<string, string>;
}

export function cloudEventFor(message: PublishedMessage): Partial<CloudEvent<MessagePublishedData>> {
  const publishTime = new Date().toISOString();
  return {
    specversion: "1.0",
    id: message.id,
    source: `//pubsub.googleapis.com/projects/demo-wolley/topics/${PUBSUB.inboundTopic}`,
    type: "google.cloud.pubsub.topic.v1.messagePublished",
    time: publishTime,
    data: {
      message: { data: message.data.toString("base64"), attributes: message.attributes, messageId: message.id, publishTime },
      subscription: "projects/demo-wolley/subscriptions/eventarc-mqttInbound",
    } as unknown as MessagePublishedData,
  };
}
