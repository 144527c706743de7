import { adminApp } from "../core/admin";
import type { AppCheckVerifier } from "./appCheck";

/** Verifies App Check tokens with the Admin SDK; loaded only when enforcement is on. */
export const adminAppCheckVerifier: AppCheckVerifier = {
  async verify(appCheckToken) {
    const { getAppCheck } = await import("firebase-admin/app-check");
    await getAppCheck(adminApp()).verifyToken(appCheckToken);
  },
};
