import type { IdTokenVerifier } from "../core/idTokens";
import { unauthorized } from "./errors";

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,4096})$/;

/** The uid of the bearer token; a token Auth refused, or could not check, answers 401 `invalid_token`. */
export async function authenticate(header: string | undefined, verifier: IdTokenVerifier): Promise<string> {
  const match = header ? BEARER.exec(header) : null;
  if (!match?.[1]) throw unauthorized("missing_or_malformed_bearer_token");
  const token = await verifier.verify(match[1]).catch(() => undefined);
  if (!token) throw unauthorized("invalid_token");
  return token.uid;
}

/**
 * The uid a bearer token claims (`sub`), read without verifying it: only good for decisions a forged claim cannot
 * abuse, such as refusing a caller whose quota is already empty before paying for the Auth lookup.
 */
export function unverifiedUid(header: string | undefined): string | undefined {
  const token = header ? BEARER.exec(header)?.[1] : undefined;
  const payload = token?.split(".")[1];
  if (!payload || payload.length > 4096) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown } | null;
    return typeof claims?.sub === "string" && claims.sub.length > 0 && claims.sub.length <= 128 ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}
