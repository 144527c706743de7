import { MQTT_ACCEPT_UNVERIFIED_UID } from "../config";
import { productionAlerter } from "../integrations/productionAlerter";
import { adminIdTokenVerifier } from "./adminIdTokenVerifier";
import type { InboundDeps } from "./inbound";
import { pubsubOutbound } from "./pubsubOutbound";
import { firebaseBridgeStore } from "./store";

/**
 * `mqttInbound` in production: Firestore/RTDB store, replies through the outbound topic, Slack alerts (rate-limited),
 * ID tokens verified by the Admin SDK.
 */
export function productionInboundDeps(): InboundDeps {
  const outbound = pubsubOutbound();
  return {
    store: firebaseBridgeStore(),
    outbound,
    alerter: productionAlerter(outbound),
    identity: { verifier: adminIdTokenVerifier, acceptUnverifiedUid: MQTT_ACCEPT_UNVERIFIED_UID.value() },
  };
}
