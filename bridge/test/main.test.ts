import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { type EmbeddedBroker, startEmbeddedBroker } from "../src/embeddedBroker";
import { LOCAL_BRIDGE_USER } from "../src/localBrokerUsers";

const MAIN = path.resolve(__dirname, "../src/main.js");

describe("bridge service entry point", function () {
  this.timeout(30_000);
  let broker: EmbeddedBroker | undefined;

  before(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
  });

  after(async () => {
    await broker?.close();
  });

  it("refuses to start on bad settings, listing each one, with exit status 2", () => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, MQTT_URL: "http://nope", BRIDGE_MAX_IN_FLIGHT: "lots" },
      encoding: "utf8",
      timeout: 15_000,
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /MQTT_URL: must be an mqtt:\/\//);
    assert.match(run.stderr, /BRIDGE_MAX_IN_FLIGHT: must be a whole number/);
  });

  it("becomes ready, logs its counters periodically as a JSON line, then drains and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        MQTT_URL: `mqtt://127.0.0.1:${broker!.port}`,
        MQTT_CLIENT_ID: `main-test-${process.pid}`,
        MQTT_USERNAME: LOCAL_BRIDGE_USER.username,
        MQTT_PASSWORD: LOCAL_BRIDGE_USER.password,
        BRIDGE_PUBSUB: "memory",
        PORT: "0",
        BRIDGE_HTTP_HOST: "127.0.0.1",
        BRIDGE_METRICS_INTERVAL_MS: "1000",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines: Record<string, unknown>[] = [];
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split("\n");
      buffered = complete.pop() ?? "";
      for (const line of complete) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 15_000;
      let ready = false;
      while (!ready && Date.now() < deadline) {
        const started = lines.find((l) => l.event === "bridge_started");
        if (started) ready = (await fetch(`http://127.0.0.1:${String(started.httpPort)}/readyz`)).status === 200;
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(ready, "bridge never became ready");
      while (!lines.some((l) => l.event === "bridge_metrics") && Date.now() < deadline + 5_000) await new Promise((resolve) => setTimeout(resolve, 50));
      const metrics = lines.find((l) => l.event === "bridge_metrics");
      assert.ok(metrics, "no bridge_metrics line");
      assert.equal(metrics.state, "running");
      assert.equal(metrics.connected, true);
      for (const counter of ["received", "forwarded", "publishRetries", "outboundReceived", "outboundDelivered", "outboundRetried", "deadLettered", "reconnects", "inFlightInbound", "inFlightOutbound"]) {
        assert.equal(typeof metrics[counter], "number", counter);
      }
      child.kill("SIGTERM");
      assert.equal(await exited, 0);
      const stopped = lines.find((l) => l.event === "bridge_stopped");
      assert.equal(stopped?.drained, true);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
