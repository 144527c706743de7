/**
 * Error messages in words for every zod schema the api validates with: zod's defaults say "Invalid input" for a
 * union none of whose options matched and for a missing field, which tells a client nothing. Installed once, at
 * load, for the whole process (zod's global error map); a message a schema gives itself still wins.
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
      const closer = iss.errors.find((issues) => issues.some((i) => i.code !== "invalid_type"));
      const first = closer?.find((i) => i.code !== "invalid_type") ?? closer?.[0];
      if (first) return first.message;
      if (iss.input === undefined) return "missing";
      const expected = [...new Set(iss.errors.flatMap((issues) => issues.map((i) => (i.code === "invalid_type" ? i.expected : "another form"))))];
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
