import { z } from "zod";

/**
 * What a plausible FCM registration token looks like. Real tokens are `<instance id>:<base64url>` strings of about
 * 150–250 characters; the old apps stored placeholders (`"abc"`, `""`) and some iOS builds sent the 64-hex APNs
 * device token instead, which FCM cannot address. Refusing those at registration is what keeps the fan-out from
 * spending calls on them.
 */
export const FCM_TOKEN_MIN_LENGTH = 100;
export const FCM_TOKEN_MAX_LENGTH = 4096;
const TOKEN_CHARS = /^[A-Za-z0-9_:-]+$/;
const APNS_DEVICE_TOKEN = /^[0-9a-fA-F]{64}$/;
const KNOWN_PLACEHOLDERS = new Set(["abc", "null", "undefined", "none", "token"]);

export type TokenCheck = { ok: true } | { ok: false; reason: string };

export function checkFcmToken(token: string): TokenCheck {
  if (token.length === 0) return { ok: false, reason: "fcmToken is empty" };
  // Cheapest tests first: the fan-out runs this on every stored token.
  if (token.length <= 16 && KNOWN_PLACEHOLDERS.has(token.toLowerCase())) {
    return { ok: false, reason: `fcmToken "${token}" is a placeholder, not an FCM registration token` };
  }
  if (token.length === 64 && APNS_DEVICE_TOKEN.test(token)) {
    return { ok: false, reason: "fcmToken looks like an APNs device token; register the FCM registration token instead" };
  }
  if (!TOKEN_CHARS.test(token)) {
    return token.trim() !== token
      ? { ok: false, reason: "fcmToken has leading or trailing whitespace" }
      : { ok: false, reason: "fcmToken may only contain letters, digits, '_', '-' and ':'" };
  }
  if (token.length < FCM_TOKEN_MIN_LENGTH) {
    return { ok: false, reason: `fcmToken is ${token.length} characters; FCM tokens are at least ${FCM_TOKEN_MIN_LENGTH}` };
  }
  if (token.length > FCM_TOKEN_MAX_LENGTH) {
    return { ok: false, reason: `fcmToken is longer than ${FCM_TOKEN_MAX_LENGTH} characters` };
  }
  return { ok: true };
}

/**
 * The fan-out's per-token filter for legacy documents: a length check only. Registration already ran the full
 * check; anything long enough that is still not a token is answered invalid by FCM and pruned.
 */
export function isSendableToken(token: string): boolean {
  return token.length >= FCM_TOKEN_MIN_LENGTH && token.length <= FCM_TOKEN_MAX_LENGTH;
}

const fcmTokenSchema = z.string().superRefine((token, ctx) => {
  const check = checkFcmToken(token);
  if (!check.ok) ctx.addIssue({ code: "custom", message: check.reason });
});

/** Firebase Installation IDs and app-generated UUIDs both fit; `/` is excluded because the id is a document id. */
export const installationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,128}$/, "installationId must be 8–128 characters of letters, digits, '_' or '-'");

export const platformSchema = z.enum(["ios", "android"]);
export type Platform = z.infer<typeof platformSchema>;

/** IANA zone names as the apps report them (`Asia/Seoul`, `America/Argentina/Buenos_Aires`, `UTC`). */
const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isKnownTimeZone, "timeZone must be an IANA time zone name such as Asia/Seoul");

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const registrationSchema = z.strictObject({
  installationId: installationIdSchema,
  fcmToken: fcmTokenSchema,
  platform: platformSchema,
  appVersion: z.string().min(1).max(64).optional(),
  timeZone: timeZoneSchema.optional(),
});
export type Registration = z.infer<typeof registrationSchema>;

export const unregistrationSchema = z.strictObject({ installationId: installationIdSchema });
