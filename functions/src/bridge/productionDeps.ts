import { productionAlerter } from "../integrations/productionAlerter";
import type { InboundDeps } from "./inbound";
import { pubsubOutbound } from "./pubsubOutbound";
import { firebaseBridgeStore } from "./store";

/** `mqttInbound` in production: Firestore/RTDB store, replies through the outbound topic, Slack alerts (rate-limited). */
export function productionInboundDeps(): InboundDeps {
  const outbound = pubsubOutbound();
  return { store: firebaseBridgeStore(), outbound, alerter: productionAlerter(outbound) };
}
