/**
 * The committed broker configurations as the rule table (`src/brokerAcl.ts`) makes them: the RabbitMQ topic
 * permissions of `emulators/broker/definitions.json` and the Mosquitto `emulators/broker/mosquitto.acl`, which
 * `brokerAcl.test.ts` compares with the files.
 */
import { BROKER_ACL, type BrokerRole, type BrokerUser, USERNAME, expand } from "../../src/brokerAcl";

/** An MQTT filter as a RabbitMQ routing-key regex: `/` → `.`, `+` → one word (or the `*` of a subscription). */
function routingKeyRegex(filter: string): string {
  return filter
    .split("/")
    .map((level) => (level === "+" ? "[^.#]+" : level === "#" ? ".*" : level === USERNAME ? USERNAME : level.replace(/[.*+?^$()[\]\\|]/g, "\\$&")))
    .join("\\.");
}

const alternatives = (filters: readonly string[]) => `^(${filters.map(routingKeyRegex).join("|")})$`;

/** The RabbitMQ topic permission of a role on the MQTT exchange (`{username}` is expanded by RabbitMQ itself). */
export function rabbitTopicPermission(role: BrokerRole, exchange: string): { exchange: string; write: string; read: string } {
  return { exchange, write: alternatives(BROKER_ACL[role].publish), read: alternatives(BROKER_ACL[role].subscribe) };
}

/** The Mosquitto ACL file for these users: one block per user with the role's filters, the username filled in. */
export function mosquittoAcl(users: readonly BrokerUser[]): string {
  const blocks = users.map((user) => {
    const rules = BROKER_ACL[user.role];
    const line = (access: string) => (filter: string) => `topic ${access} ${expand(filter, user.username).join("/")}`;
    return [`user ${user.username}`, ...rules.publish.map(line("write")), ...rules.subscribe.map(line("read"))].join("\n");
  });
  return `${["# Generated from bridge/src/brokerAcl.ts (BROKER_ACL); test/brokerAcl.test.ts checks it. No anonymous access.", ...blocks].join("\n\n")}\n`;
}
