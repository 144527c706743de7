import { auth } from "../admin";
import type { IdTokenVerifier } from "./identity";

/** Auth answers that mean "not this token"; anything else (network, Auth's own outage) is worth retrying. */
const TRANSIENT = new Set(["auth/internal-error", "app/network-error", "app/network-timeout"]);

function isRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("auth/") && !TRANSIENT.has(code);
}

/**
 * The Admin SDK with revocation and disabled users checked (one Auth lookup per command: commands are rare, and a
 * revoked phone must stop signing in at once). Accepts Auth emulator tokens when FIREBASE_AUTH_EMULATOR_HOST is set.
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
