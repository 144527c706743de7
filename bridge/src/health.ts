import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface HealthSource {
  ready(): boolean;
  metrics(): object;
}

/**
 * `/healthz`: the process is alive (restart it when this fails). `/readyz`: connected to the broker, subscribed and
 * consuming Pub/Sub (route no traffic and raise no alarm while it reconnects). Both bodies carry the counters.
 */
export async function startHealthServer(host: string, port: number, source: HealthSource): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    const ready = source.ready();
    const status = path === "/healthz" ? 200 : path === "/readyz" ? (ready ? 200 : 503) : 404;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(status === 404 ? { error: "not found" } : { ready, ...source.metrics() }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
