/**
 * zod contracts for the Firestore documents the apps write (`modes`, `schedule_mode`) and the RTDB sensor nodes.
 * The apps store switches as booleans and levels as numbers; devices and older builds send digit strings. All of them
 * normalise to the protocol's digits, and anything else is reported with the field it concerns.
 */
import { z } from "zod";
import { type Field, FIELDS, KEEP, type Status } from "@wolley/contract";

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

export const ModeDocSchema = z.object({
  modeNum: modeNumValue.refine((n) => n > 0, "mode numbers start at 1 (0 is manual)"),
  modeName: z.string().trim().min(1),
  ...applianceShape,
});
export type ModeDoc = z.infer<typeof ModeDocSchema>;

/** A schedule's `startTime`: Seoul wall-clock `HHMM`. */
export const HHMM = /^([01][0-9]|2[0-3])[0-5][0-9]$/;
const DATE = /^(\d{4})[-./]?(\d{2})[-./]?(\d{2})$/;

/** `activeDate` as the apps write it (`2026-11-27`, `2026.11.27` or `20261127`), normalised to `YYYYMMDD`. */
const activeDateValue = z.string().transform((value, ctx) => {
  const m = DATE.exec(value.trim());
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (!m || probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    ctx.addIssue({ code: "custom", message: `expected a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return `${m[1]}${m[2]}${m[3]}`;
});

export const ScheduleDocSchema = z
  .object({
    title: z.string().nullish(),
    name: z.string().nullish(),
    enabled: z.boolean(),
    repeat: z.boolean(),
    daysOfWeek: z.array(z.boolean()).length(7).nullish(),
    activeDate: activeDateValue.nullish(),
    startTime: z.string().regex(HHMM, "expected HHMM (0000–2359)"),
    modeNum: modeNumValue.default(0),
    ...z.object(applianceShape).partial().shape,
    /** Set by the runner: the `YYYYMMDDHHMM` minute it last ran this schedule. */
    lastRunMinute: z.string().nullish(),
    /** Set by the runner on a once-type schedule whose minute passed without running it. */
    expiredMinute: z.string().nullish(),
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
export type ScheduleDoc = z.infer<typeof ScheduleDocSchema>;

export interface DocIssue {
  field: string;
  message: string;
}

export type DocResult<T> = { ok: true; value: T } | { ok: false; issues: DocIssue[] };

export function parseDoc<T>(schema: z.ZodType<T>, data: unknown): DocResult<T> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ field: issue.path.map(String).join(".") || "(document)", message: issue.message })),
  };
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
export const HomeSensorSchema = z.object({
  temp: z.number().optional(),
  humi: z.number().optional(),
  rain: z.union([z.boolean(), z.number(), z.string()]).optional(),
});

export function isRaining(rain: boolean | number | string | undefined): boolean {
  if (typeof rain === "boolean") return rain;
  if (typeof rain === "number") return rain > 0;
  if (typeof rain === "string") return rain.trim().toLowerCase() === "true" || Number(rain) > 0;
  return false;
}
