import type { OutboundPort } from "./outbound";
import { SLACK_WEBHOOK_URL } from "../core/config";
import type { Alerter } from "./alerter";
import { createAlerter } from "./alerts";
import { FirestoreAlertGate } from "./alertGateFirestore";
import { postSlackMessage } from "./slack";

/**
 * The production Alerter: Slack incoming webhook + `webos/<device>/error` through the outbound port, deduplicated in
 * Firestore. A function using it must declare `secrets: [SLACK_WEBHOOK_URL]`; the secret is read per alert, inside
 * the handler.
 */
export function productionAlerter(outbound: OutboundPort): Alerter {
  return createAlerter({
    gate: new FirestoreAlertGate(),
    slack: (text) => postSlackMessage(SLACK_WEBHOOK_URL.value(), text),
    outbound,
    now: Date.now,
  });
}
