/** What to do with a token after FCM answered it. Pure rules from DESIGN.md "Wake-up pushes". */
import { backoffDelay } from "@wolley/contract";

export type Decision = "prune" | "retry" | "fail";

const PRUNE_CODES = new Set([
  "messaging/registration-token-not-registered",
  "messaging/invalid-registration-token",
]);

const RETRY_CODES = new Set([
  "messaging/message-rate-exceeded",
  "messaging/device-message-rate-exceeded",
  "messaging/server-unavailable",
  "messaging/internal-error",
]);

/**
 * `messaging/invalid-argument` covers both a bad token and a bad message; only the former may cost the user their
 * registration, so the message text has to name the token.
 */
const TOKEN_INVALID_MESSAGE = /(registration token|invalid registration)[^.]*(not a valid|invalid)|^invalid registration/i;

export function decide(failure: { code: string; message: string; status?: number }): Decision {
  if (PRUNE_CODES.has(failure.code)) return "prune";
  if (failure.code === "messaging/invalid-argument") {
    return TOKEN_INVALID_MESSAGE.test(failure.message) ? "prune" : "fail";
  }
  if (RETRY_CODES.has(failure.code)) return "retry";
  if (failure.status !== undefined && (failure.status === 429 || (failure.status >= 500 && failure.status <= 599))) {
    return "retry";
  }
  return "fail";
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Longest Retry-After honoured; a server asking for more is answered by giving up on that attempt budget. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 60_000 };

/**
 * Delay before retry number `attempt` (1 = first retry): full-jitter exponential backoff, but never sooner than the
 * server's Retry-After. `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, random: number, retryAfterMs: number | undefined, opts = DEFAULT_BACKOFF): number {
  if (retryAfterMs === undefined || !(retryAfterMs > 0)) {
    return backoffDelay(Math.max(0, attempt - 1), { minMs: 0, baseMs: opts.baseMs, maxMs: opts.maxMs }, () => random);
  }
  const honoured = Math.min(retryAfterMs, opts.maxRetryAfterMs);
  // A little jitter on top so every chunk told "retry in 1 s" does not come back in the same millisecond.
  return honoured + Math.floor(random * Math.min(1000, opts.baseMs));
}
