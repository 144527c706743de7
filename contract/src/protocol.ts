/**
 * The 9-character appliance status protocol shared by the home, the apps and the Realtime Database. One ASCII digit
 * per position; `2` means "keep as is" on the four on/off positions and is only meaningful in commands.
 */

export const FIELDS = [
  "mode",
  "airconEnable",
  "airconWindPower",
  "lightEnable",
  "lightBrightness",
  "lightColor",
  "lightMode",
  "windowOpen",
  "gasValveEnable",
] as const;

export type Field = (typeof FIELDS)[number];

/** The on/off positions: `0` off/closed, `1` on/open, `2` keep (commands only). */
export const SWITCH_FIELDS: readonly Field[] = ["airconEnable", "lightEnable", "windowOpen", "gasValveEnable"];

export const KEEP = 2;
export const STATUS_LENGTH = FIELDS.length;

/** Every field as a number 0–9; switches hold 0/1 in a status and 0/1/2 in a command. */
export type Status = Readonly<Record<Field, number>>;

export type ProtocolKind = "status" | "command";

export interface ProtocolIssue {
  /** 0-based position in the string, or -1 when the problem is the whole value (type, length). */
  position: number;
  field?: Field;
  character?: string;
  message: string;
}

export type ParseResult = { ok: true; value: Status } | { ok: false; issues: ProtocolIssue[] };

export function isSwitch(field: Field): boolean {
  return SWITCH_FIELDS.includes(field);
}

/**
 * Parses a status (as reported by the home: switches 0/1) or a command (switches may be 2 = keep). Never returns a
 * partial value: any problem rejects the whole string, each issue naming its position and character.
 */
export function parseProtocol(input: unknown, kind: ProtocolKind): ParseResult {
  if (typeof input !== "string") {
    return { ok: false, issues: [{ position: -1, message: `expected a string of ${STATUS_LENGTH} digits, got ${describe(input)}` }] };
  }
  if (input.length !== STATUS_LENGTH) {
    return {
      ok: false,
      issues: [{ position: -1, message: `expected exactly ${STATUS_LENGTH} digits, got ${input.length} characters` }],
    };
  }
  const issues: ProtocolIssue[] = [];
  const value = {} as Record<Field, number>;
  FIELDS.forEach((field, position) => {
    const character = input[position] ?? "";
    const max = !isSwitch(field) ? 9 : kind === "command" ? KEEP : 1;
    if (!/^[0-9]$/.test(character)) {
      issues.push({ position, field, character, message: `${field} at position ${position}: ${JSON.stringify(character)} is not a digit` });
      return;
    }
    const digit = Number(character);
    if (digit > max) {
      issues.push({
        position,
        field,
        character,
        message: `${field} at position ${position}: ${JSON.stringify(character)} is not allowed in a ${kind} (0–${max})`,
      });
      return;
    }
    value[field] = digit;
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

export function parseStatus(input: unknown): ParseResult {
  return parseProtocol(input, "status");
}

export function parseCommand(input: unknown): ParseResult {
  return parseProtocol(input, "command");
}

export function formatProtocol(value: Status): string {
  return FIELDS.map((field) => {
    const digit = value[field];
    if (!Number.isInteger(digit) || digit < 0 || digit > 9) throw new RangeError(`${field} must be a digit, got ${digit}`);
    return String(digit);
  }).join("");
}

/** Applies a command to a status: every position takes the command's digit unless it is a switch set to keep. */
export function mergeCommand(current: Status, command: Status): Status {
  const merged = {} as Record<Field, number>;
  for (const field of FIELDS) {
    merged[field] = isSwitch(field) && command[field] === KEEP ? current[field] : command[field];
  }
  return merged;
}

/** Whether sending the command would change anything; switches set to keep never count. */
export function commandChanges(current: Status, command: Status): boolean {
  const merged = mergeCommand(current, command);
  return FIELDS.some((field) => merged[field] !== current[field]);
}

export function describeIssues(issues: readonly ProtocolIssue[]): string {
  return issues.map((issue) => issue.message).join("; ");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  return typeof value;
}
