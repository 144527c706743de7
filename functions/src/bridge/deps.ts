import { MQTT_ACCEPT_UNVERIFIED_UID } from "../core/config";
import { adminIdTokenVerifier } from "../core/idTokens";
import { productionAlerter } from "../integrations/productionAlerter";
import { lazyDeps } from "../core/lazyDeps";
import type { InboundDeps } from "./inbound";
import { pubsubOutbound } from "../integrations/pubsubOutbound";
import { firebaseBridgeStore } from "./store";

const ports = lazyDeps<InboundDeps>({
  store: () => firebaseBridgeStore(),
  outbound: () => pubsubOutbound(),
  alerter: (built) => productionAlerter(built.outbound),
  identity: () => ({ verifier: adminIdTokenVerifier, acceptUnverifiedUid: MQTT_ACCEPT_UNVERIFIED_UID.value() }),
});

/**
 * `mqttInbound`'s ports: the Firestore/RTDB store, replies through the outbound topic, Slack alerts (rate-limited),
 * ID tokens verified by the Admin SDK; or what a test installed.
 */
export const inboundDeps: () => InboundDeps = ports.get;

/**
 * Test seam: trigger tests install an in-memory store and fakes, then reset with `undefined`.
 * @internal Only tests call it, which `knip --production` allows for this tag alone.
 */
export const setInboundDeps: (deps: InboundDeps | undefined) => void = ports.set;
