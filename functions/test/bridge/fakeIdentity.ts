/** ID tokens for the MQTT tests: JWT-shaped, accepted by `fakeIdTokenVerifier` only when they end in its signature. */
import type { CommandIdentity } from "../../src/bridge/identity";
import type { IdTokenVerifier, VerifiedToken } from "../../src/core/idTokens";

const SIGNATURE = "fake-signature";
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function fakeIdToken(uid: string, claims: { member?: boolean; device?: boolean } = {}): string {
  return `${b64({ alg: "none" })}.${b64({ uid, member: claims.member === true, device: claims.device === true })}.${SIGNATURE}`;
}

/** The same token with another signature: well-formed, but the verifier refuses it, as Auth refuses a forged one. */
export function forgedIdToken(uid: string, claims: { member?: boolean; device?: boolean } = {}): string {
  return fakeIdToken(uid, claims).replace(SIGNATURE, "forged");
}

export const fakeIdTokenVerifier: IdTokenVerifier = {
  verify(idToken) {
    const [, payload, signature] = idToken.split(".");
    if (signature !== SIGNATURE || !payload) return Promise.resolve(undefined);
    return Promise.resolve(JSON.parse(Buffer.from(payload, "base64url").toString()) as VerifiedToken);
  },
};

export function fakeIdentity(acceptUnverifiedUid = false): CommandIdentity {
  return { verifier: fakeIdTokenVerifier, acceptUnverifiedUid };
}
