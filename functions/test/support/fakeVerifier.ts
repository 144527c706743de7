import type { TokenVerifier } from "../../src/http/auth";

/** Accepts `test-token-<uid>` (padded to look like a JWT) and refuses everything else, like a revoked token. */
export const fakeVerifier: TokenVerifier = {
  verify(idToken) {
    const match = /^test-token-([A-Za-z0-9]+)\.x+$/.exec(idToken);
    return match?.[1] ? Promise.resolve(match[1]) : Promise.reject(new Error("invalid token"));
  },
};

export function bearer(uid: string): string {
  return `Bearer test-token-${uid}.${"x".repeat(16)}`;
}
