import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { type BrokerUser, DEVICE_USERNAMES, USERNAME, mayPublish, maySubscribe } from "../src/brokerAcl";
import { mosquittoAcl, rabbitTopicPermission } from "./support/brokerAclFiles";
import { LOCAL_BROKER_USERS } from "../src/localBrokerUsers";

const BROKER_DIR = path.resolve(__dirname, "../../../../emulators/broker");
const EXCHANGE = "webos.topic";

const bridge: BrokerUser = { username: "wolley-bridge", role: "bridge" };
const device = (username: string): BrokerUser => ({ username, role: "device" });

/** RabbitMQ's check: the routing key (MQTT `/` → `.`, `+` → `*`) against the regex with `{username}` filled in. */
function rabbitAllows(regex: string, username: string, mqttTopic: string): boolean {
  const key = mqttTopic.split("/").map((level) => (level === "+" ? "*" : level)).join(".");
  return new RegExp(regex.split(USERNAME).join(username)).test(key);
}

interface Definitions {
  users: { name: string; password_hash: string; hashing_algorithm: string }[];
  permissions: { user: string; vhost: string }[];
  topic_permissions: { user: string; vhost: string; exchange: string; write: string; read: string }[];
  exchanges: { name: string }[];
}

describe("broker ACL (one table for aedes, RabbitMQ and Mosquitto)", () => {
  it("lets a device publish commands and its own status, and read only its own replies", () => {
    assert.ok(mayPublish(device("smarthome"), "data/smarthome"));
    assert.ok(mayPublish(device("car"), "webos/server"));
    assert.equal(mayPublish(device("car"), "data/smarthome"), false);
    assert.equal(mayPublish(device("android"), "webos/smarthome/info"), false);
    assert.equal(mayPublish(device("android"), "webos/server/x"), false);
    assert.ok(maySubscribe(device("android"), "webos/android/info"));
    assert.ok(maySubscribe(device("android"), "webos/android/+"));
    assert.equal(maySubscribe(device("android"), "webos/android/#"), false);
    assert.equal(maySubscribe(device("android"), "webos/smarthome/info"), false);
    assert.equal(maySubscribe(device("android"), "webos/server"), false);
    assert.equal(maySubscribe(device("android"), "#"), false);
    assert.equal(maySubscribe(device("+"), "webos/car/info"), false, "a wildcard user name widens nothing");
  });

  it("lets the bridge read the backend topics and write only device reply topics", () => {
    assert.ok(maySubscribe(bridge, "webos/server"));
    assert.ok(maySubscribe(bridge, "data/smarthome"));
    assert.ok(mayPublish(bridge, "webos/smarthome/info"));
    assert.ok(mayPublish(bridge, "webos/android/error"));
    assert.equal(mayPublish(bridge, "webos/server"), false);
    assert.equal(mayPublish(bridge, "data/smarthome"), false);
    assert.equal(maySubscribe(bridge, "webos/#"), false);
  });

  it("RabbitMQ's topic permissions (from the table) decide every publish and subscribe as the table does (property)", () => {
    const level = fc.constantFrom("webos", "data", "server", "smarthome", "android", "car", "info", "error", "warning", "x", "+", "#");
    const topic = fc.array(level, { minLength: 1, maxLength: 4 }).map((levels) => levels.join("/"));
    const user = fc.constantFrom<BrokerUser>(bridge, ...DEVICE_USERNAMES.map(device));
    fc.assert(
      fc.property(user, topic, (u, t) => {
        const permission = rabbitTopicPermission(u.role, EXCHANGE);
        // A `#` anywhere but last is no MQTT filter; a published topic has no wildcard at all.
        if (/#./.test(t)) return;
        if (!/[+#]/.test(t)) assert.equal(rabbitAllows(permission.write, u.username, t), mayPublish(u, t), `publish ${u.username} ${t}`);
        assert.equal(rabbitAllows(permission.read, u.username, t), maySubscribe(u, t), `subscribe ${u.username} ${t}`);
      }),
      { numRuns: 3_000 },
    );
  });

  it("emulators/broker/definitions.json holds exactly the local users with the table's permissions", () => {
    const definitions = JSON.parse(readFileSync(path.join(BROKER_DIR, "definitions.json"), "utf8")) as Definitions;
    assert.deepEqual(definitions.users.map((u) => u.name), LOCAL_BROKER_USERS.map((u) => u.username));
    for (const user of LOCAL_BROKER_USERS) {
      const stored = definitions.users.find((u) => u.name === user.username)!;
      assert.equal(stored.hashing_algorithm, "rabbit_password_hashing_sha256");
      // base64(salt ‖ sha256(salt ‖ password)), RabbitMQ's own format.
      const bytes = Buffer.from(stored.password_hash, "base64");
      const salt = bytes.subarray(0, 4);
      assert.deepEqual(bytes.subarray(4), createHash("sha256").update(Buffer.concat([salt, Buffer.from(user.password)])).digest(), `${user.username}'s password`);
      const { exchange, write, read } = rabbitTopicPermission(user.role, EXCHANGE);
      assert.deepEqual(definitions.topic_permissions.find((p) => p.user === user.username), { user: user.username, vhost: "/", exchange, write, read });
      assert.ok(definitions.permissions.some((p) => p.user === user.username && p.vhost === "/"));
    }
    assert.equal(definitions.permissions.length, LOCAL_BROKER_USERS.length);
    assert.equal(definitions.topic_permissions.length, LOCAL_BROKER_USERS.length);
    assert.deepEqual(definitions.exchanges.map((e) => e.name), [EXCHANGE]);
  });

  it("emulators/broker/mosquitto.acl is the table's ACL for the local users", () => {
    assert.equal(readFileSync(path.join(BROKER_DIR, "mosquitto.acl"), "utf8"), mosquittoAcl(LOCAL_BROKER_USERS));
  });
});
