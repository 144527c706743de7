/**
 * Who may publish and subscribe what on the broker: the one table of rules. aedes enforces it in process
 * (`embeddedBroker.ts`); the RabbitMQ topic permissions in `emulators/broker/definitions.json` and the Mosquitto
 * `emulators/broker/mosquitto.acl` are generated from it (`test/support/brokerAclFiles.ts`) and
 * `test/brokerAcl.test.ts` fails when a committed file says anything else.
 */
import { DEVICES, MQTT } from "@wolley/contract";

/** `bridge`: the backend's bridge service. `device`: a home device or an app; its username is its device name. */
export type BrokerRole = "bridge" | "device";

export interface BrokerUser {
  username: string;
  role: BrokerRole;
}

interface RoleRules {
  /** Topic filters the role may publish to. */
  publish: readonly string[];
  /** Topic filters the role may subscribe with (or any narrower filter). */
  subscribe: readonly string[];
}

/** Stands for the connected user's name as one whole topic level, as RabbitMQ's `{username}` and Mosquitto's `%u`. */
export const USERNAME = "{username}";

/**
 * A device publishes commands on `webos/server` (the backend verifies who sent them from the ID token inside) and
 * status reports only on `data/<its own name>`, so `data/smarthome` is writable by the `smarthome` user alone; it
 * reads only its own `webos/<name>/{info,warning,error}`. The bridge reads the two backend topics and writes only
 * the devices' reply topics, so nothing the backend sends can pose as a device.
 */
export const BROKER_ACL: Readonly<Record<BrokerRole, RoleRules>> = {
  bridge: {
    publish: ["webos/+/info", "webos/+/warning", "webos/+/error"],
    subscribe: [MQTT.serverCommands, MQTT.smarthomeStatus],
  },
  device: {
    publish: [MQTT.serverCommands, `data/${USERNAME}`],
    subscribe: [`webos/${USERNAME}/+`],
  },
};

/** Device usernames: the device names of `webos/<device>/...`, except the backend's own `server`. */
export const DEVICE_USERNAMES = DEVICES.filter((d) => d !== "server");

/** A filter's levels with `{username}` filled in. */
export function expand(filter: string, username: string): string[] {
  return filter.split("/").map((level) => (level === USERNAME ? username : level));
}

/** Whether every topic `requested` can match is also matched by `allowed` (both MQTT filters, split in levels). */
function covers(allowed: readonly string[], requested: readonly string[]): boolean {
  for (let i = 0; i < allowed.length; i += 1) {
    const a = allowed[i];
    const r = requested[i];
    if (a === "#") return true;
    if (r === undefined || r === "#") return false;
    if (a === "+") continue;
    if (a !== r) return false;
  }
  return requested.length === allowed.length;
}

function grants(filters: readonly string[], username: string, topic: string): boolean {
  // A username that is not a plain topic level could widen a rule (`+`, `#`, `a/b`): it matches nothing.
  if (!/^[A-Za-z0-9_-]+$/.test(username)) return false;
  const requested = topic.split("/");
  return filters.some((filter) => covers(expand(filter, username), requested));
}

export function mayPublish(user: BrokerUser, topic: string): boolean {
  if (/[+#]/.test(topic)) return false;
  return grants(BROKER_ACL[user.role].publish, user.username, topic);
}

export function maySubscribe(user: BrokerUser, filter: string): boolean {
  return grants(BROKER_ACL[user.role].subscribe, user.username, filter);
}
