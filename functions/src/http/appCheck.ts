import { HttpError } from "./errors";

/** The slice of the Admin App Check API the api needs; tests give a fake, production the Admin SDK. */
export interface AppCheckVerifier {
  /** Resolves when the token is a valid App Check token for this project; rejects otherwise. */
  verify(appCheckToken: string): Promise<void>;
}

export interface AppCheckOptions {
  verifier: AppCheckVerifier;
  /** Read per request: the ENFORCE_APP_CHECK param is only readable at run time. */
  enforce: () => boolean;
}

export const APP_CHECK_HEADER = "x-firebase-appcheck";

const TOKEN = /^[A-Za-z0-9._~+/=-]{16,4096}$/;

/** Refuses the request unless it carries a valid App Check token; both failures look the same to the caller. */
export async function requireAppCheck(header: string | string[] | undefined, verifier: AppCheckVerifier): Promise<void> {
  const token = typeof header === "string" && TOKEN.test(header) ? header : undefined;
  if (!token) throw new HttpError(401, "app_check_required");
  try {
    await verifier.verify(token);
  } catch {
    throw new HttpError(401, "app_check_required");
  }
}
