/**
 * What an inbound MQTT message means. Pure: no Firebase, no I/O. `mqttInbound` turns the decision into store writes
 * and outbound replies, so every routing rule is testable here without a broker or a database.
 */
import { z } from "zod";
import { MAX_NAME_LENGTH, RUNNER_FIELDS, ScheduleDocSchema, type ScheduleDocInput } from "../smarthome/documents";
import { type Device, DeviceSchema, IdTokenSchema, MQTT, describeIssues, parseStatus } from "@wolley/contract";

/** Firestore document ids: no `/`, not `.`/`..`, not `__reserved__`, at most 1,500 bytes (we keep 100 chars). */
const ScheduleTitleSchema = z
  .string()
  .min(1)
  .max(MAX_NAME_LENGTH)
  .refine((t) => !t.includes("/") && t !== "." && t !== ".." && !/^__.*__$/.test(t), "title cannot be a document id");

/** What `add_schedule` stores at `schedule_mode/{title}`, as sent. */
export type Schedule = ScheduleDocInput & { title: string };

/**
 * `schedule_mode/{title}` as devices send it with `add_schedule`: the smart-home schedule schema (the one the runner
 * and firestore.rules apply), with the title required as its document id and without the runner's own fields.
 */
export const ScheduleSchema = z
  .record(z.string(), z.unknown())
  .superRefine((raw, ctx) => {
    const title = ScheduleTitleSchema.safeParse(raw.title);
    if (!title.success) for (const issue of title.error.issues) ctx.addIssue({ code: "custom", path: ["title"], message: issue.message });
    for (const field of RUNNER_FIELDS) if (field in raw) ctx.addIssue({ code: "custom", path: [field], message: "written by the schedule runner only" });
    const doc = ScheduleDocSchema.safeParse(raw);
    if (!doc.success) for (const issue of doc.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  })
  .transform((raw) => raw as Schedule);

const CommandBase = z.object({ Producer: DeviceSchema, command: z.string() });
/** `user_account/{UID}`: a document id, so no `/`. */
const UidSchema = z.string().min(1).max(128).regex(/^[^/]+$/);
/** `idToken` is optional here so the old form still parses; `authorizeCommand` (identity.ts) decides whether it is needed. */
const Authenticated = { idToken: IdTokenSchema.optional() };
const SignupSchema = z.object({ UID: UidSchema, name: z.string().min(1).max(100), ...Authenticated });
const SigninSchema = z.object({ UID: UidSchema, ...Authenticated });
const AddScheduleSchema = z.object({ schedule: ScheduleSchema, ...Authenticated });

export type Decision =
  | { kind: "signup"; producer: Device; uid: string; name: string; idToken?: string }
  | { kind: "signin"; producer: Device; uid: string; idToken?: string }
  | { kind: "add_schedule"; producer: Device; schedule: Schedule; idToken?: string }
  | { kind: "status"; status: string }
  /** `producer` is known when the sender could be identified, so it can be told what was wrong. */
  | { kind: "reject"; producer?: Device; reason: string; details?: string };

/** A reported status, checked with the smart-home codec so the bridge and the home agree on the protocol. */
export function statusProblem(status: string): string | undefined {
  const parsed = parseStatus(status);
  return parsed.ok ? undefined : describeIssues(parsed.issues);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const token = (idToken: string | undefined) => (idToken === undefined ? {} : { idToken });

function decideCommand(payload: string): Decision {
  const json = parseJson(payload);
  const base = CommandBase.safeParse(json);
  if (!base.success) return { kind: "reject", reason: "malformed command", details: z.prettifyError(base.error) };
  const producer = base.data.Producer;
  switch (base.data.command) {
    case "signup": {
      const parsed = SignupSchema.safeParse(json);
      return parsed.success
        ? { kind: "signup", producer, uid: parsed.data.UID, name: parsed.data.name, ...token(parsed.data.idToken) }
        : { kind: "reject", producer, reason: "malformed signup", details: z.prettifyError(parsed.error) };
    }
    case "signin": {
      const parsed = SigninSchema.safeParse(json);
      return parsed.success
        ? { kind: "signin", producer, uid: parsed.data.UID, ...token(parsed.data.idToken) }
        : { kind: "reject", producer, reason: "malformed signin", details: z.prettifyError(parsed.error) };
    }
    case "add_schedule": {
      const parsed = AddScheduleSchema.safeParse(json);
      return parsed.success
        ? { kind: "add_schedule", producer, schedule: parsed.data.schedule, ...token(parsed.data.idToken) }
        : { kind: "reject", producer, reason: "malformed add_schedule", details: z.prettifyError(parsed.error) };
    }
    default:
      return { kind: "reject", producer, reason: "unknown command", details: base.data.command.slice(0, 64) };
  }
}

/** Routes one MQTT message by topic, then by payload. */
export function decide(topic: string, payload: string): Decision {
  if (topic === MQTT.serverCommands) return decideCommand(payload);
  if (topic === MQTT.smarthomeStatus) {
    const problem = statusProblem(payload);
    return problem
      ? { kind: "reject", producer: "smarthome", reason: "malformed status", details: problem }
      : { kind: "status", status: payload };
  }
  return { kind: "reject", reason: "unrouted topic", details: topic };
}

export function returnNamePayload(name: string): string {
  return JSON.stringify({ Producer: "server", command: "return_name", name });
}

export function warningPayload(reason: string, details?: string): string {
  return JSON.stringify({ Producer: "server", command: "warning", reason, ...(details ? { details } : {}) });
}
