import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiHandler } from "../../src/http/pipeline";
import { checkResponse } from "./contract";

/**
 * Serves a real api handler over loopback HTTP, as the Functions runtime would, and returns its base URL. Every
 * response is held to the api's contract (support/contract.ts).
 */
export async function serve(handler: ApiHandler): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      const [chunk] = args;
      if (typeof chunk === "string" || Buffer.isBuffer(chunk)) chunks.push(Buffer.from(chunk));
      return end(...args);
    }) as typeof res.end;
    res.once("finish", () => {
      checkResponse(req.method ?? "GET", req.url ?? "/", res.statusCode, String(res.getHeader("content-type") ?? ""), Buffer.concat(chunks).toString("utf8"));
    });
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    // A client still streaming a body the server already refused (413) keeps its socket busy; close() would wait on it.
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
