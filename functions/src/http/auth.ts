import { unauthorized } from "./errors";

/** The slice of the Admin Auth API the api needs; tests give a fake, production the Admin SDK. */
export interface TokenVerifier {
  /** Resolves the uid of a valid, unrevoked token of an enabled user; rejects otherwise. */
  verify(idToken: string): Promise<string>;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,4096})$/;

export async function authenticate(header: string | undefined, verifier: TokenVerifier): Promise<string> {
  const match = header ? BEARER.exec(header) : null;
  if (!match?.[1]) throw unauthorized("missing_or_malformed_bearer_token");
  try {
    return await verifier.verify(match[1]);
  } catch {
    throw unauthorized("invalid_token");
  }
}
