import { FUNCTION_DEFAULTS } from "../core/config";
import { SEOUL_TIME_ZONE } from "../core/seoulTime";

/**
 * The options of the wake-up push triggers, each one topic send per scheduled time. An invocation that rejects (the
 * run is held by another one, or FCM refused the message) is retried by the scheduler against the same run record.
 * The send itself is one HTTP request, so the function needs neither much memory nor long: the lease (5 minutes)
 * outlives the timeout, so a killed invocation's claim is still respected by the retry.
 */
export const SCHEDULED_PUSH_OPTIONS = {
  ...FUNCTION_DEFAULTS,
  timeZone: SEOUL_TIME_ZONE,
  timeoutSeconds: 120,
  memory: "256MiB",
  retryCount: 2,
  minBackoffSeconds: 30,
} as const;
