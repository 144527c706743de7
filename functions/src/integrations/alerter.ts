import type { Device } from "@wolley/contract";

/** Something a human should look at: sent to Slack and to the device's MQTT error topic, deduplicated by `key`. */
export interface Alert {
  /** Stable identity of the condition (e.g. `schedule:failed:<id>`); the same key is sent at most once per window. */
  key: string;
  /** MQTT device whose `webos/<device>/error` topic also gets the alert; omitted for backend-only alerts. */
  device?: Device;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Thrown by a channel that has no destination configured (an empty secret, as on a local run): not a failure, so the
 * alerter notes it in one line instead of logging an error.
 */
export class ChannelNotConfiguredError extends Error {
  constructor(readonly channel: string) {
    super(`${channel} is not configured`);
    this.name = "ChannelNotConfiguredError";
  }
}

export interface Alerter {
  /** Never rejects: a failing alert channel must not break the caller. */
  alert(alert: Alert): Promise<void>;
}
