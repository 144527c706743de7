/**
 * Whom a command on `webos/server` comes from. Anyone with broker access can publish there, so the backend takes no
 * UID's word for it: `signup` and `signin` must carry the ID token of the UID they name, and `add_schedule` the
 * token of a member or a device account (the same accounts the Firestore rules let write `schedule_mode`). Status
 * reports on `data/smarthome` need no token: the broker lets only the `smarthome` account publish there.
 */
import type { IdTokenVerifier } from "../core/idTokens";
import type { Decision } from "./commands";

export interface CommandIdentity {
  verifier: IdTokenVerifier;
  /**
   * `MQTT_ACCEPT_UNVERIFIED_UID`: also accept commands without `idToken` (the original apps' form), taking their
   * UID at its word. Off by default; a present token is always verified, whatever this says.
   */
  acceptUnverifiedUid: boolean;
}

type Command = Extract<Decision, { kind: "signup" | "signin" | "add_schedule" }>;

function refuse(command: Command, reason: string, details?: string): Decision {
  return { kind: "reject", producer: command.producer, reason, details: details ?? command.kind };
}

/** The decision to apply: the command itself when its sender is proven (or the switch allows the old form), else a refusal. */
export async function authorizeCommand(decision: Decision, identity: CommandIdentity): Promise<Decision> {
  if (decision.kind !== "signup" && decision.kind !== "signin" && decision.kind !== "add_schedule") return decision;
  if (decision.idToken === undefined) return identity.acceptUnverifiedUid ? decision : refuse(decision, "idToken required");
  const token = await identity.verifier.verify(decision.idToken);
  if (!token) return refuse(decision, "invalid idToken");
  if (decision.kind === "add_schedule") return token.member || token.device ? decision : refuse(decision, "not a member");
  // The UID stays in the message for the original apps' sake; it must name the token's own account.
  return token.uid === decision.uid ? decision : refuse(decision, "UID does not match idToken");
}
