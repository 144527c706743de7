/**
 * The broker accounts of local runs and tests: the embedded aedes broker has exactly these, and the RabbitMQ
 * (`emulators/broker/definitions.json`) and Mosquitto configurations define the same ones. The passwords are for
 * loopback brokers only; production accounts are created by an operator (docs/bridge.md).
 */
import { type BrokerUser, DEVICE_USERNAMES } from "./brokerAcl";

export interface BrokerCredentials extends BrokerUser {
  password: string;
}

export const LOCAL_BRIDGE_USER: BrokerCredentials = { username: "wolley-bridge", password: "wolley-bridge-local", role: "bridge" };

export const LOCAL_BROKER_USERS: readonly BrokerCredentials[] = [
  LOCAL_BRIDGE_USER,
  ...DEVICE_USERNAMES.map((device): BrokerCredentials => ({ username: device, password: `${device}-local`, role: "device" })),
];
