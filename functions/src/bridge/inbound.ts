/**
 * Applies one inbound MQTT message (as the bridge published it) through the ports: the store, the outbound-command
 * port and the alerter. At-least-once safe: effects are idempotent writes, and the message id is marked done in
 * `processed_events` (`once`) only after all of them succeeded, so a failure retries the whole message, a
 * redelivery after success is a no-op, and one arriving while another delivery applies it is retried later.
 */
import { z } from "zod";
import { once } from "../core/once";
import type { Alerter } from "../integrations/alerter";
import { type Decision, decide, returnNamePayload, warningPayload } from "./commands";
import { type CommandIdentity, authorizeCommand } from "./identity";
import { InboundAttributesSchema, errorTopic, infoTopic } from "@wolley/contract";
import type { OutboundPort } from "../integrations/outbound";
import type { BridgeStore } from "./store";

export interface InboundDeps {
  store: BridgeStore;
  outbound: OutboundPort;
  alerter: Alerter;
  identity: CommandIdentity;
}

export interface InboundMessage {
  /** Pub/Sub message id, used for dedupe only when the bridge's own id is missing. */
  id: string;
  attributes: Record<string, string>;
  payload: Buffer;
}

export type InboundOutcome = Decision["kind"] | "duplicate" | "bad_attributes" | "unknown_user";

export async function handleInbound(functionName: string, deps: InboundDeps, message: InboundMessage): Promise<InboundOutcome> {
  const attributes = InboundAttributesSchema.safeParse(message.attributes);
  if (!attributes.success) {
    // Not from the bridge (or a bridge of another version): nobody to answer, so a human must look.
    await deps.alerter.alert({
      key: `${functionName}:bad_attributes`,
      message: "inbound Pub/Sub message without valid bridge attributes; dropped",
      details: { pubsubMessageId: message.id, issues: z.flattenError(attributes.error) },
    });
    return "bad_attributes";
  }
  const { mqttTopic } = attributes.data;
  const applied = await once(deps.store.processed, `${functionName}:${attributes.data.messageId}`, async () => {
    const decision = await authorizeCommand(decide(mqttTopic, message.payload.toString("utf8")), deps.identity);
    return apply(functionName, deps, decision, mqttTopic);
  });
  return applied.ran ? applied.value : "duplicate";
}

async function apply(functionName: string, deps: InboundDeps, decision: Decision, mqttTopic: string): Promise<InboundOutcome> {
  switch (decision.kind) {
    case "signup":
      await deps.store.upsertUserAccount(decision.uid, decision.name);
      return "signup";
    case "signin": {
      const name = await deps.store.userName(decision.uid);
      if (name === undefined) {
        await deps.outbound.publish({ topic: errorTopic(decision.producer), payload: warningPayload("unknown user", decision.uid), qos: 1 });
        return "unknown_user";
      }
      await deps.outbound.publish({ topic: infoTopic(decision.producer), payload: returnNamePayload(name), qos: 1 });
      return "signin";
    }
    case "add_schedule":
      await deps.store.putSchedule(decision.schedule);
      return "add_schedule";
    case "status":
      await deps.store.setSmarthomeStatus(decision.status);
      return "status";
    case "reject":
      if (decision.producer) {
        await deps.outbound.publish({ topic: errorTopic(decision.producer), payload: warningPayload(decision.reason, decision.details), qos: 1 });
      }
      // The device already got its warning on its error topic; the alert is for the backend's humans only.
      await deps.alerter.alert({
        key: `${functionName}:${decision.reason}:${decision.producer ?? "unknown"}`,
        message: `MQTT message rejected on ${mqttTopic}: ${decision.reason}`,
        details: { mqttTopic, ...(decision.producer ? { producer: decision.producer } : {}), ...(decision.details ? { problem: decision.details } : {}) },
      });
      return "reject";
  }
}
