/**
 * Stay points from a CSV export, for analysts and for checking the detector on real data:
 *
 *   node functions/lib/gps/staypoints-cli.js --input points.csv --output stays.csv \
 *     --distance-m 100 --min-duration-min 5 [--travel-speed-mps 1.4]
 *
 * Input header `user_id,tracked_at,lat,lng` (ISO-8601 with offset), any number of users in any order; output
 * `user_id,started_at,finished_at,lat,lng` (ISO-8601 UTC). Prints `detect_ms=<n>`, the time of the detection step
 * alone. Exits 1 with the line number on a malformed row, 2 on bad arguments.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { isCalendarDay } from "./points";
import { DEFAULT_TRAVEL_SPEED_MPS, type PointColumns, type StayPointOptions, detectStayPointsColumns } from "./staypoints";

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const USAGE =
  "usage: staypoints-cli --input points.csv --output stays.csv --distance-m <metres> --min-duration-min <minutes> [--travel-speed-mps <m/s>]";

interface Args {
  input: string;
  output: string;
  options: StayPointOptions;
}

export function parseArgs(argv: readonly string[]): Args {
  const values = new Map<string, string>();
  const known = ["--input", "--output", "--distance-m", "--min-duration-min", "--travel-speed-mps"];
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i] as string;
    const value = argv[i + 1];
    if (!known.includes(name)) throw new CliError(`unknown argument ${name}\n${USAGE}`, 2);
    if (value === undefined || value.startsWith("--")) throw new CliError(`${name} needs a value\n${USAGE}`, 2);
    values.set(name, value);
  }
  const required = (name: string): string => {
    const v = values.get(name);
    if (v === undefined) throw new CliError(`missing ${name}\n${USAGE}`, 2);
    return v;
  };
  const positive = (name: string, fallback?: number): number => {
    const raw = values.get(name);
    if (raw === undefined && fallback !== undefined) return fallback;
    const n = Number(raw ?? required(name));
    if (!Number.isFinite(n) || n <= 0) throw new CliError(`${name} must be a positive number, got "${raw}"`, 2);
    return n;
  };
  return {
    input: required("--input"),
    output: required("--output"),
    options: {
      distanceMeters: positive("--distance-m"),
      minDurationMs: positive("--min-duration-min") * 60_000,
      travelSpeedMps: positive("--travel-speed-mps", DEFAULT_TRAVEL_SPEED_MPS),
    },
  };
}

const ISO_WITH_OFFSET =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?)$/;

/** Epoch ms of an ISO-8601 timestamp that names its offset (`Z`, `+09`, `+0900`, `+09:00`), else NaN. */
export function parseTimestamp(text: string): number {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return Number.NaN;
  const [, date, time, fraction, zone] = m as unknown as [string, string, string, string | undefined, string];
  const offset = zone === "Z" ? "Z" : `${zone.slice(0, 3)}:${zone.slice(3).replace(":", "") || "00"}`;
  const ms = fraction ? `.${fraction.slice(0, 3).padEnd(3, "0")}` : "";
  return isCalendarDay(date) ? Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${ms}${offset}`) : Number.NaN;
}

/** Splits one CSV line; double-quoted fields may hold commas and doubled quotes. */
function splitCsv(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(",");
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return undefined;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < line.length && line[i] !== ",") return undefined;
      fields.push(value);
      i++;
    } else {
      const c = line.indexOf(",", i);
      const end = c < 0 ? line.length : c;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

interface Parsed {
  users: string[];
  user: Int32Array;
  cols: PointColumns;
}

export function parseCsv(text: string, file: string): Parsed {
  const lines = text.split("\n");
  const header = (lines[0] ?? "").replace(/^\uFEFF/, "").replace(/\r$/, "").trim();
  if (header !== "user_id,tracked_at,lat,lng") {
    throw new CliError(`${file}:1: expected header "user_id,tracked_at,lat,lng", got "${header}"`, 1);
  }
  const n = lines.length - 1;
  const user = new Int32Array(n);
  const cols: PointColumns = { t: new Float64Array(n), lat: new Float64Array(n), lng: new Float64Array(n) };
  const users: string[] = [];
  const userIndex = new Map<string, number>();
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, "");
    if (line === "") {
      if (i === lines.length - 1) continue;
      throw new CliError(`${file}:${i + 1}: empty line`, 1);
    }
    const fields = splitCsv(line);
    const bad = (why: string): CliError => new CliError(`${file}:${i + 1}: ${why}: ${line.slice(0, 200)}`, 1);
    if (!fields || fields.length !== 4) throw bad(`expected 4 fields, got ${fields ? fields.length : "unbalanced quotes"}`);
    const [id, at, latText, lngText] = fields as [string, string, string, string];
    if (id === "") throw bad("empty user_id");
    const t = parseTimestamp(at.trim());
    if (Number.isNaN(t)) throw bad(`tracked_at "${at}" is not ISO-8601 with an offset`);
    const lat = latText.trim() === "" ? Number.NaN : Number(latText);
    const lng = lngText.trim() === "" ? Number.NaN : Number(lngText);
    if (!(lat >= -90 && lat <= 90)) throw bad(`lat "${latText}" is not a number in [-90, 90]`);
    if (!(lng >= -180 && lng <= 180)) throw bad(`lng "${lngText}" is not a number in [-180, 180]`);
    let u = userIndex.get(id);
    if (u === undefined) {
      u = users.length;
      users.push(id);
      userIndex.set(id, u);
    }
    user[rows] = u;
    cols.t[rows] = t;
    cols.lat[rows] = lat;
    cols.lng[rows] = lng;
    rows++;
  }
  return { users, user: user.subarray(0, rows), cols: { t: cols.t.subarray(0, rows), lat: cols.lat.subarray(0, rows), lng: cols.lng.subarray(0, rows) } };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function run(argv: readonly string[]): { output: string; detectMs: number; stays: number } {
  const args = parseArgs(argv);
  let text: string;
  try {
    text = readFileSync(args.input, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${args.input}: ${(err as Error).message}`, 1);
  }
  const { users, user, cols } = parseCsv(text, args.input);

  // Group by user, time order within a user; a stable sort keeps equal timestamps in file order.
  const n = user.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (user[a] as number) - (user[b] as number) || (cols.t[a] as number) - (cols.t[b] as number) || a - b);
  const sorted: PointColumns = { t: new Float64Array(n), lat: new Float64Array(n), lng: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const j = order[i] as number;
    sorted.t[i] = cols.t[j] as number;
    sorted.lat[i] = cols.lat[j] as number;
    sorted.lng[i] = cols.lng[j] as number;
  }

  const out: string[] = ["user_id,started_at,finished_at,lat,lng"];
  let detectNs = 0n;
  let stays = 0;
  for (let from = 0; from < n; ) {
    const u = user[order[from] as number] as number;
    let to = from + 1;
    while (to < n && user[order[to] as number] === u) to++;
    const started = process.hrtime.bigint();
    const found = detectStayPointsColumns(sorted, args.options, from, to);
    detectNs += process.hrtime.bigint() - started;
    const id = csvField(users[u] as string);
    for (const s of found) {
      out.push(`${id},${new Date(s.startMs).toISOString()},${new Date(s.endMs).toISOString()},${s.lat.toFixed(7)},${s.lng.toFixed(7)}`);
    }
    stays += found.length;
    from = to;
  }
  const output = `${out.join("\n")}\n`;
  try {
    writeFileSync(args.output, output);
  } catch (err) {
    throw new CliError(`cannot write ${args.output}: ${(err as Error).message}`, 1);
  }
  return { output, detectMs: Number(detectNs) / 1e6, stays };
}

if (require.main === module) {
  try {
    const result = run(process.argv.slice(2));
    console.log(`detect_ms=${result.detectMs.toFixed(3)}`);
  } catch (err) {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  }
}
