import { type Server, createServer } from "node:net";
import type { AddressInfo } from "node:net";

export interface EmbeddedBroker {
  port: number;
  close(): Promise<void>;
}

/**
 * An aedes broker in this process, for local runs without RabbitMQ and for tests. `persistence` lets a test keep
 * the broker's sessions and queues across a stop and restart, as a broker with durable storage would.
 */
export async function startEmbeddedBroker(options: { host: string; port: number; persistence?: unknown }): Promise<EmbeddedBroker> {
  const { Aedes } = await import("aedes");
  const broker = await Aedes.createBroker(options.persistence ? { persistence: options.persistence } : {});
  const server: Server = createServer((socket) => broker.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await closed;
    },
  };
}
