import { errorTopic } from "@wolley/contract";
import type { OutboundPort } from "./outbound";
import * as logs from "../core/logs";
import { type Alert, type Alerter, ChannelNotConfiguredError } from "./alerter";

/**
 * Dedupe and rate-limit state, shared by every instance: the same key is admitted at most once per window. Firestore
 * in production (alertGateFirestore), memory in tests; both honour this contract.
 */
export interface AlertGate {
  /** Records an attempt; `admitted` when the key was not sent within the window, with how many were held back. */
  admit(key: string, nowMs: number, windowMs: number): Promise<{ admitted: boolean; suppressed: number }>;
}

export interface AlerterOptions {
  gate: AlertGate;
  /** Posts a text to Slack; rejects on failure. */
  slack: (text: string) => Promise<void>;
  outbound: OutboundPort;
  now: () => number;
  windowMs?: number;
}

export const DEFAULT_ALERT_WINDOW_MS = 30 * 60 * 1000;

/** The payload the original server put on `webos.<device>.error`, which the devices already display. */
export function deviceAlertPayload(alert: Alert): string {
  return JSON.stringify({ Producer: "server", command: "alert", msg: alert.message, key: alert.key });
}

function slackText(alert: Alert, suppressed: number): string {
  const details = alert.details && Object.keys(alert.details).length > 0 ? `\n${JSON.stringify(alert.details)}` : "";
  const held = suppressed > 0 ? `\n(${suppressed} repeats suppressed since the last alert)` : "";
  return `[${alert.key}] ${alert.message}${details}${held}`;
}

/**
 * Sends each admitted alert to Slack and, when it names a device, to `webos/<device>/error`. Never rejects: a broken
 * channel or gate is logged and the caller carries on. If the gate itself fails the alert is sent anyway, because a
 * duplicate is cheaper than a lost alert.
 */
export function createAlerter(options: AlerterOptions): Alerter {
  const windowMs = options.windowMs ?? DEFAULT_ALERT_WINDOW_MS;
  return {
    async alert(alert) {
      let suppressed = 0;
      try {
        const decision = await options.gate.admit(alert.key, options.now(), windowMs);
        if (!decision.admitted) {
          logs.info("alert_suppressed", { key: alert.key, suppressed: decision.suppressed });
          return;
        }
        suppressed = decision.suppressed;
      } catch (err) {
        logs.error("alert_gate_failed", err, { key: alert.key });
      }
      logs.warn("alert_sent", { key: alert.key, device: alert.device, message: alert.message, details: alert.details });
      const sends: Promise<void>[] = [safely(() => options.slack(slackText(alert, suppressed)))];
      if (alert.device) {
        const topic = errorTopic(alert.device);
        sends.push(safely(() => options.outbound.publish({ topic, payload: deviceAlertPayload(alert), qos: 1 })));
      }
      const results = await Promise.allSettled(sends);
      results.forEach((result, i) => {
        if (result.status === "fulfilled") return;
        const channel = i === 0 ? "slack" : "mqtt";
        if (result.reason instanceof ChannelNotConfiguredError) logs.info("alert_channel_not_configured", { key: alert.key, channel });
        else logs.error("alert_channel_failed", result.reason, { key: alert.key, channel });
      });
    },
  };
}

/** Turns a synchronous throw into a rejection so one misbehaving channel cannot skip the others. */
async function safely(send: () => Promise<void>): Promise<void> {
  await send();
}
