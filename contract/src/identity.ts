/**
 * How a command on `webos/server` proves who sent it: the sender's Firebase ID token, verified by the backend.
 * `signup`, `signin` and `add_schedule` carry it in `idToken`; the UID of the command must be the token's.
 */
import { z } from "zod";

/** A JWT (header.payload.signature, base64url); the Auth emulator's tokens have an empty signature. */
export const IdTokenSchema = z
  .string()
  .min(16)
  .max(4096)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, "idToken must be a Firebase ID token (a JWT)");
