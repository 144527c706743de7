import type { MessagingTopicManagementResponse } from "firebase-admin/messaging";
import { messaging } from "../core/admin";
import { type PushMessenger, type TokenAnswer, failureOf } from "./topics";

/** Per-token answers of a subscription call, in token order (firebase-admin lists only the failures, by index). */
export function tokenAnswersOf(count: number, response: Pick<MessagingTopicManagementResponse, "errors">): TokenAnswer[] {
  const answers: TokenAnswer[] = Array.from({ length: count }, () => ({ ok: true }));
  for (const { index, error } of response.errors) answers[index] = { ok: false, ...failureOf(error) };
  return answers;
}

/** The production messenger: firebase-admin's `send` (HTTP v1) and topic management (instance-id batchAdd/Remove). */
export const fcmMessenger: PushMessenger = {
  send: (message) => messaging().send(message),
  async subscribe(tokens, topic) {
    return tokenAnswersOf(tokens.length, await messaging().subscribeToTopic([...tokens], topic));
  },
  async unsubscribe(tokens, topic) {
    return tokenAnswersOf(tokens.length, await messaging().unsubscribeFromTopic([...tokens], topic));
  },
};
