/**
 * How zod issues read, everywhere in the functions. Messages are in words for every schema (zod's defaults say
 * "Invalid input" for a union none of whose options matched and for a missing field, which tells a client or an
 * operator nothing): installed once, at load, for the whole process (zod's global error map); a message a schema
 * gives itself still wins. Text for people (logs, alerts, MQTT warnings) is `z.prettifyError` or `z.flattenError`;
 * a structured list (the api's 400 `details`, a refused document's fields) is `issueDetails`.
 */
import { z } from "zod";

type Issue = z.core.$ZodRawIssue;

const kind = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : typeof value;

function message(iss: Issue): string | undefined {
  switch (iss.code) {
    case "invalid_type":
      return iss.input === undefined ? "missing" : `expected ${iss.expected}, received ${kind(iss.input)}`;
    case "invalid_union": {
      // The option that got furthest (past the type check) says what is wrong; otherwise list what would do.
      // A number that is not an integer fails `int` as a type, yet it is the option the client meant.
      const past = (i: z.core.$ZodIssue): boolean => i.code !== "invalid_type" || (i.expected === "int" && typeof iss.input === "number");
      // An option that parsed the form but not the meaning (a calendar date, a range) is the closest.
      const meaning = iss.errors.flat().find((i) => past(i) && i.code !== "invalid_format");
      const closer = iss.errors.find((issues) => issues.some(past));
      const first = meaning ?? closer?.find(past);
      if (first) return first.message;
      if (iss.input === undefined) return "missing";
      const expected = [...new Set(iss.errors.flatMap((issues) => issues.map((i) => (i.code === "invalid_type" ? (i.expected === "int" ? "number" : i.expected) : "another form"))))];
      return `expected ${expected.join(" or ")}, received ${kind(iss.input)}`;
    }
    case "too_big":
      return `out of range: must be ${iss.inclusive === false ? "<" : "<="} ${String(iss.maximum)}${iss.origin === "string" ? " characters" : iss.origin === "array" ? " items" : ""}`;
    case "too_small":
      return `out of range: must be ${iss.inclusive === false ? ">" : ">="} ${String(iss.minimum)}${iss.origin === "string" ? " characters" : iss.origin === "array" ? " items" : ""}`;
    case "unrecognized_keys":
      return `unknown field${iss.keys.length > 1 ? "s" : ""} ${iss.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_value":
      return `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return undefined;
  }
}


z.config({ customError: message });

export interface IssueDetail {
  /** The offending field's dotted path; empty for the value itself. */
  path: string;
  message: string;
}

/** Each issue with the field it names. */
export function issueDetails(issues: readonly { path: readonly PropertyKey[]; message: string }[]): IssueDetail[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
