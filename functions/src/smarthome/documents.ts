/**
 * zod contracts for the Firestore documents the apps write (`modes`, `schedule_mode`) and the RTDB sensor nodes.
 * The apps store switches as booleans and levels as numbers; devices and older builds send digit strings. All of them
 * normalise to the protocol's digits, and anything else is reported with the field it concerns.
 */
import { z } from "zod";
import { type Field, FIELDS, KEEP, type Status } from "@wolley/contract";
import { type IssueDetail, issueDetails } from "../core/zodIssues";

const switchValue = z.union([
  z.boolean().transform((on) => (on ? 1 : 0)),
  z.number().int().min(0).max(KEEP),
  z.string().regex(/^[012]$/, "expected 0, 1 or 2").transform(Number),
]);

const levelValue = z.union([z.number().int().min(0).max(9), z.string().regex(/^[0-9]$/, "expected a digit").transform(Number)]);

const modeNumValue = levelValue;

const applianceShape = {
  airconEnable: switchValue,
  airconWindPower: levelValue,
  lightEnable: switchValue,
  lightBrightness: levelValue,
  lightColor: levelValue,
  lightMode: levelValue,
  windowOpen: switchValue,
  gasValveEnable: switchValue,
};

export type ApplianceFields = Omit<Status, "mode">;
const APPLIANCE_FIELDS = FIELDS.filter((f): f is Exclude<Field, "mode"> => f !== "mode");

/** The longest mode or schedule name (and schedule title) a client may write; firestore.rules says the same. */
export const MAX_NAME_LENGTH = 100;

/** A mode lives at `modes/{modeNum}`: the id is its number, so there is exactly one document per mode. */
export const ModeDocSchema = z.strictObject({
  modeNum: modeNumValue.refine((n) => n > 0, "mode numbers start at 1 (0 is manual)"),
  modeName: z.string().min(1).max(MAX_NAME_LENGTH),
  ...applianceShape,
});
export type ModeDoc = z.infer<typeof ModeDocSchema>;

/** The id `modes/{id}` must have for `mode`. */
export const modeDocId = (mode: Pick<ModeDoc, "modeNum">): string => String(mode.modeNum);

/** A schedule's `startTime`: Seoul wall-clock `HHMM`. */
const HHMM = /^([01][0-9]|2[0-3])[0-5][0-9]$/;
/** `YYYY-MM-DD`, `YYYY.MM.DD`, `YYYY/MM/DD` or `YYYYMMDD` (one separator throughout), years 2000–2099. */
const DATE = /^(20\d{2})([-./]?)(\d{2})\2(\d{2})$/;

/** `activeDate` as the apps write it (`2026-11-27`, `2026.11.27`, `2026/11/27` or `20261127`), normalised to `YYYYMMDD`. */
const activeDateValue = z.string().transform((value, ctx) => {
  const m = DATE.exec(value);
  const [year, month, day] = m ? [Number(m[1]), Number(m[3]), Number(m[4])] : [0, 0, 0];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (!m || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    ctx.addIssue({ code: "custom", message: `expected a calendar date YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD or YYYYMMDD, got ${JSON.stringify(value.slice(0, 32))}` });
    return z.NEVER;
  }
  return `${m[1]}${m[3]}${m[4]}`;
});

/** The fields only the schedule runner writes; clients may keep or drop them, never set them (firestore.rules). */
export const RUNNER_FIELDS = ["lastRunMinute", "expiredMinute"] as const;
/** A Seoul minute `YYYYMMDDHHMM`, as the runner writes it. */
const minuteKeyValue = z.string().regex(/^\d{12}$/, "expected a minute YYYYMMDDHHMM");

/**
 * `schedule_mode/{title}`: the one schema of a schedule, for the runner, the deletion trigger and the bridge's
 * `add_schedule` alike; it accepts what firestore.rules let a member write, plus the runner's fields.
 */
export const ScheduleDocSchema = z
  .strictObject({
    title: z.string().min(1).max(MAX_NAME_LENGTH).optional(),
    name: z.string().max(MAX_NAME_LENGTH).nullish(),
    enabled: z.boolean(),
    repeat: z.boolean(),
    daysOfWeek: z.array(z.boolean()).length(7).nullish(),
    activeDate: activeDateValue.nullish(),
    startTime: z.string().regex(HHMM, "expected HHMM (0000–2359)"),
    modeNum: modeNumValue.default(0),
    ...z.object(applianceShape).partial().shape,
    /** Set by the runner: the minute it last ran this schedule. */
    lastRunMinute: minuteKeyValue.nullish(),
    /** Set by the runner on a once-type schedule whose minute passed without running it. */
    expiredMinute: minuteKeyValue.nullish(),
  })
  .superRefine((doc, ctx) => {
    if (doc.repeat && !doc.daysOfWeek) ctx.addIssue({ code: "custom", path: ["daysOfWeek"], message: "required for a repeating schedule" });
    if (!doc.repeat && !doc.activeDate) ctx.addIssue({ code: "custom", path: ["activeDate"], message: "required for a once-type schedule" });
    if (doc.modeNum === 0) {
      for (const field of APPLIANCE_FIELDS) {
        if (doc[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: "required when modeNum is 0" });
      }
    }
  });
/** A schedule document as written (switches as booleans, numbers or digit strings; dates in any accepted form). */
export type ScheduleDocInput = z.input<typeof ScheduleDocSchema>;
export type ScheduleDoc = z.infer<typeof ScheduleDocSchema>;

/** A document's issues name their field as the api's do; an empty path is the document itself. */
export type DocResult<T> = { ok: true; value: T } | { ok: false; issues: IssueDetail[] };

export function parseDoc<T>(schema: z.ZodType<T>, data: unknown): DocResult<T> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: issueDetails(result.error.issues) };
}

export function applianceOf(doc: Partial<ApplianceFields>): ApplianceFields | undefined {
  const out = {} as Record<Exclude<Field, "mode">, number>;
  for (const field of APPLIANCE_FIELDS) {
    const value = doc[field];
    if (value === undefined) return undefined;
    out[field] = value;
  }
  return out;
}

/** `sensor/hometemp` as the home sensor writes it; only `rain` drives a recommendation. */
/** The same bounds as database.rules.json; older sensors sent `rain` as a boolean or a string. */
export const HomeSensorSchema = z.object({
  temp: z.number().min(-50).max(80).optional(),
  humi: z.number().min(0).max(100).optional(),
  rain: z.union([z.boolean(), z.number().min(0).max(10_000), z.string().max(16)]).optional(),
});

export function isRaining(rain: boolean | number | string | undefined): boolean {
  if (typeof rain === "boolean") return rain;
  if (typeof rain === "number") return rain > 0;
  if (typeof rain === "string") return rain.trim().toLowerCase() === "true" || Number(rain) > 0;
  return false;
}
