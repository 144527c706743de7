import type { IdTokenVerifier } from "../../src/core/idTokens";

/** Accepts `test-token-<uid>` (padded to look like a JWT) and refuses everything else, like a revoked token. */
export const fakeVerifier: IdTokenVerifier = {
  verify(idToken) {
    const match = /^test-token-([A-Za-z0-9]+)\.x+$/.exec(idToken);
    return Promise.resolve(match?.[1] ? { uid: match[1], member: false, device: false } : undefined);
  },
};

export function bearer(uid: string): string {
  return `Bearer test-token-${uid}.${"x".repeat(16)}`;
}
