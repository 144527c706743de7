/**
 * A throwaway Mosquitto on a free loopback port with the committed ACL (`emulators/broker/mosquitto.acl`) and a
 * password file made with `mosquitto_passwd` for the local users, in its own directory, removed on `stop()`.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LOCAL_BROKER_USERS } from "../../src/localBrokerUsers";
import { freePort, waitForPort } from "./rabbitmq";

const MOSQUITTO = "/usr/sbin/mosquitto";
const MOSQUITTO_PASSWD = "/usr/bin/mosquitto_passwd";
const MOSQUITTO_ACL = path.resolve(__dirname, "../../../../../emulators/broker/mosquitto.acl");

export function mosquittoUnavailable(): string | undefined {
  for (const bin of [MOSQUITTO, MOSQUITTO_PASSWD]) if (!existsSync(bin)) return `${bin} is not installed (apt-get install mosquitto)`;
  return undefined;
}

export async function startMosquitto(): Promise<{ url: string; stop(): Promise<void> }> {
  const base = mkdtempSync(path.join(tmpdir(), "wolley-mosquitto-"));
  const passwords = path.join(base, "passwd");
  writeFileSync(passwords, "");
  for (const user of LOCAL_BROKER_USERS) execFileSync(MOSQUITTO_PASSWD, ["-b", passwords, user.username, user.password], { timeout: 10_000, stdio: "ignore" });
  const port = await freePort();
  const config = path.join(base, "mosquitto.conf");
  writeFileSync(
    config,
    // `user root`: started as root, Mosquitto would switch to its own user, which cannot read this private directory.
    [`listener ${port} 127.0.0.1`, "allow_anonymous false", `password_file ${passwords}`, `acl_file ${MOSQUITTO_ACL}`, "persistence false", "max_inflight_messages 1000", "user root", ""].join("\n"),
  );
  const child: ChildProcess = spawn(MOSQUITTO, ["-c", config], { stdio: "ignore" });
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitForPort(port, 10_000, () => child.exitCode !== null, "mosquitto");
  } catch (err) {
    child.kill("SIGKILL");
    rmSync(base, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(base, { recursive: true, force: true });
    },
  };
}
