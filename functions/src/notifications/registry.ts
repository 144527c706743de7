/**
 * The installation registry's rules, between the routes and the stores. An installation id belongs to the user who
 * registered it first and is never reassigned; a token is subscribed to the wake-up topic while any installation
 * holds it, so one user's registration or sign-out never changes what another user's device receives.
 */
import * as logs from "../core/logs";
import { decide } from "./policy";
import type { InstallationStore } from "./store";
import type { Registration } from "./tokens";
import { type PushFailure, type TokenAnswer, type TopicSubscriptions, WAKEUP_TOPIC, failureOf } from "./topics";

export interface RegistryDeps {
  installations: InstallationStore;
  topics: TopicSubscriptions;
  now: () => number;
}

export type RegisterOutcome =
  | { ok: true; created: boolean; replaced: number }
  /** `owned_by_other`: nothing changed. `token_rejected`: FCM called the token dead; the installation is removed. */
  | { ok: false; reason: "owned_by_other" }
  | { ok: false; reason: "token_rejected" | "subscription_unavailable"; failure: PushFailure };

/**
 * Registers and subscribes. The subscription is renewed at every registration (the app registers at every start),
 * which also repairs one that an earlier failed call left out.
 */
export async function registerInstallation(deps: RegistryDeps, uid: string, registration: Registration): Promise<RegisterOutcome> {
  const result = await deps.installations.register(uid, registration, deps.now());
  if (result.state === "owned_by_other") return { ok: false, reason: "owned_by_other" };
  if (result.previousToken !== undefined) await releaseToken(deps, result.previousToken);
  const answer = await subscribeOne(deps.topics, registration.fcmToken);
  if (answer.ok) return { ok: true, created: result.state === "created", replaced: result.replaced.length };
  const failure: PushFailure = { code: answer.code, message: answer.message, ...(answer.status === undefined ? {} : { status: answer.status }) };
  if (decide(failure) !== "prune") return { ok: false, reason: "subscription_unavailable", failure };
  await deps.installations.prune([{ installationId: registration.installationId, fcmToken: registration.fcmToken }]);
  return { ok: false, reason: "token_rejected", failure };
}

/** Removes the caller's own installation; false when `uid` owns none with this id. */
export async function unregisterInstallation(deps: RegistryDeps, uid: string, installationId: string): Promise<boolean> {
  const removed = await deps.installations.unregister(uid, installationId);
  if (!removed) return false;
  await releaseToken(deps, removed.fcmToken);
  return true;
}

async function subscribeOne(topics: TopicSubscriptions, token: string): Promise<TokenAnswer> {
  try {
    const [answer] = await topics.subscribe([token], WAKEUP_TOPIC);
    return answer ?? { ok: false, code: "messaging/unknown-error", message: "no answer for the token" };
  } catch (err) {
    return { ok: false, ...failureOf(err) };
  }
}

/**
 * Unsubscribes a token no installation holds any more. Best effort: a token left subscribed only costs its device
 * a silent wake-up, and FCM drops it once it is invalid.
 */
async function releaseToken(deps: RegistryDeps, token: string): Promise<void> {
  if (await deps.installations.holdsToken(token)) return;
  try {
    const [answer] = await deps.topics.unsubscribe([token], WAKEUP_TOPIC);
    if (answer && !answer.ok && decide(answer) !== "prune") logs.warn("push_unsubscribe_failed", { code: answer.code, message: answer.message });
  } catch (err) {
    logs.warn("push_unsubscribe_failed", { ...failureOf(err) });
  }
}
