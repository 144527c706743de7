/**
 * Firebase ID tokens, as the api (`Authorization: Bearer`) and `mqttInbound` (a command's `idToken`) check them.
 * Tests give a fake verifier, production the Admin SDK's.
 */
import { auth } from "./admin";

export interface VerifiedToken {
  uid: string;
  /** The custom claims of docs/security.md, true only when the claim is exactly `true`. */
  member: boolean;
  device: boolean;
}

export interface IdTokenVerifier {
  /** The token's identity, or undefined when it is invalid, expired, revoked or its user is disabled. Throws only when it could not tell. */
  verify(idToken: string): Promise<VerifiedToken | undefined>;
}

/** Auth answers that mean "not this token"; anything else (network, Auth's own outage) is worth retrying. */
const TRANSIENT = new Set(["auth/internal-error", "app/network-error", "app/network-timeout"]);

function isRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("auth/") && !TRANSIENT.has(code);
}

/**
 * The Admin SDK with revocation and disabled users checked: one extra Auth lookup per api request or MQTT command,
 * the price of refusing a stolen token within seconds of revocation. Accepts Auth emulator tokens when
 * FIREBASE_AUTH_EMULATOR_HOST is set.
 */
export const adminIdTokenVerifier: IdTokenVerifier = {
  async verify(idToken) {
    try {
      const decoded = await auth().verifyIdToken(idToken, true);
      return { uid: decoded.uid, member: decoded.member === true, device: decoded.device === true };
    } catch (err) {
      if (isRefusal(err)) return undefined;
      throw err;
    }
  },
};
