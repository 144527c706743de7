/** The Pub/Sub side of the bridge, small enough to implement in memory for tests and local runs. */
export interface ReceivedMessage {
  id: string;
  data: Buffer;
  attributes: Record<string, string>;
  ack(): void;
  /** Asks for redelivery later. */
  nack(): void;
}

export interface PubSubSubscription {
  close(): Promise<void>;
}

export interface PubSubPort {
  /** Resolves with the server-assigned message id once Pub/Sub accepted the message. */
  publish(topic: string, data: Buffer, attributes: Record<string, string>): Promise<string>;
  /** Delivers messages to `onMessage` with at most `maxInFlight` unacknowledged at a time. */
  subscribe(subscription: string, maxInFlight: number, onMessage: (message: ReceivedMessage) => void): PubSubSubscription;
  close(): Promise<void>;
}
