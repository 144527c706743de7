/**
 * The two wake-up pushes as FCM topic messages. One message serves both platforms: FCM applies `android` to Android
 * subscribers and `apns` to iOS ones, so one send per run reaches every installation.
 */
export type PushKind = "saveLocation" | "pathDaily";

const PATH_DAILY_TITLE = "From Wolley 🗓";
const PATH_DAILY_BODY = "일주일 동안의 기록을 확인해보세요!";

/**
 * How long a wake-up stays deliverable. A saveLocation push that arrives after the next one was due is worthless,
 * so it dies well inside the 30-minute period; pathDaily is still useful the same night.
 */
export const TTL_MS: Record<PushKind, number> = {
  saveLocation: 20 * 60_000,
  pathDaily: 6 * 60 * 60_000,
};

/** What a wake-up says, whoever it is addressed to: the subset of firebase-admin's Message these pushes use. */
export interface PushPayload {
  data: Record<string, string>;
  notification?: { title: string; body: string };
  android: {
    priority: "normal" | "high";
    ttl: number;
    collapseKey: string;
    notification?: { tag: string };
  };
  apns: {
    headers: Record<string, string>;
    payload: { aps: { contentAvailable: true; threadId: string } };
  };
}

/** A payload sent to every installation subscribed to `topic`. */
export interface PushMessage extends PushPayload {
  topic: string;
}

export function buildTopicMessage(kind: PushKind, topic: string, nowMs: number): PushMessage {
  return { topic, ...buildPayload(kind, nowMs) };
}

/** `nowMs` is the send time: APNs wants an absolute expiry, FCM's Android TTL is relative. */
export function buildPayload(kind: PushKind, nowMs: number): PushPayload {
  const apnsExpiration = String(Math.floor((nowMs + TTL_MS[kind]) / 1000));
  if (kind === "saveLocation") {
    return {
      data: { type: "saveLocation" },
      // Data-only at normal priority: FCM deprioritises apps whose high-priority messages show nothing.
      android: { priority: "normal", ttl: TTL_MS.saveLocation, collapseKey: "saveLocation" },
      apns: {
        // Without push-type background and priority 5, iOS drops or throttles a content-available push.
        headers: {
          "apns-push-type": "background",
          "apns-priority": "5",
          "apns-expiration": apnsExpiration,
          "apns-collapse-id": "saveLocation",
        },
        payload: { aps: { contentAvailable: true, threadId: "saveLocation" } },
      },
    };
  }
  return {
    data: { type: "pathDaily" },
    notification: { title: PATH_DAILY_TITLE, body: PATH_DAILY_BODY },
    android: { priority: "high", ttl: TTL_MS.pathDaily, collapseKey: "pathDaily", notification: { tag: "pathDaily" } },
    apns: {
      headers: {
        "apns-push-type": "alert",
        "apns-priority": "10",
        "apns-expiration": apnsExpiration,
        "apns-collapse-id": "pathDaily",
      },
      // content-available as well: the app gets background time to upload its week without being opened.
      payload: { aps: { contentAvailable: true, threadId: "pathDaily" } },
    },
  };
}
