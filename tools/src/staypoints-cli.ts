/**
 * Stay points from a CSV export, for analysts and for checking the detector on real data:
 *
 *   npm run staypoints -- --input points.csv --output stays.csv \
 *     --distance-m 100 --min-duration-min 5 [--travel-speed-mps 1.4]
 *
 * Input header `user_id,tracked_at,lat,lng` (ISO-8601 with offset), any number of users in any order; output
 * `user_id,started_at,finished_at,lat,lng` (ISO-8601 UTC). Prints `detect_ms=<n>`, the time of the detection step
 * alone. Exits 1 with the line number on a malformed row, 2 on bad arguments. The file is streamed through
 * staypoints-csv.ts; this module only wires it to the detector the api uses (detectStayPointsColumns, same defaults).
 */
import { writeFileSync } from "node:fs";
import { CsvError, type ParsedPoints, readPointsCsv } from "./staypoints-csv";
import { DEFAULT_TRAVEL_SPEED_MPS, type PointColumns, type StayPointOptions, detectStayPointsColumns } from "../../functions/src/gps/staypoints";

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

/** Rows grouped by user (in order of first appearance) and time-ordered within a user; ties keep file order. */
export function groupByUser(parsed: ParsedPoints): { cols: PointColumns; ranges: { user: number; from: number; to: number }[] } {
  const { user, cols } = parsed;
  const n = user.length;
  const counts = new Int32Array(parsed.users.length + 1);
  let inOrder = true;
  for (let i = 0; i < n; i++) {
    const u = user[i] as number;
    counts[u + 1] = (counts[u + 1] as number) + 1;
    if (i > 0 && (u < (user[i - 1] as number) || (u === user[i - 1] && (cols.t[i] as number) < (cols.t[i - 1] as number)))) inOrder = false;
  }
  for (let u = 0; u < parsed.users.length; u++) counts[u + 1] = (counts[u + 1] as number) + (counts[u] as number);
  const ranges = parsed.users.map((_, u) => ({ user: u, from: counts[u] as number, to: counts[u + 1] as number }));
  if (inOrder) return { cols, ranges };
  // Counting sort by user (stable), then a sort by time only of the users whose rows are out of order.
  const order = new Uint32Array(n);
  const next = counts.slice(0, parsed.users.length);
  for (let i = 0; i < n; i++) {
    const u = user[i] as number;
    order[next[u] as number] = i;
    next[u] = (next[u] as number) + 1;
  }
  for (const r of ranges) {
    let sorted = true;
    for (let k = r.from + 1; k < r.to && sorted; k++) sorted = (cols.t[order[k] as number] as number) >= (cols.t[order[k - 1] as number] as number);
    if (!sorted) order.subarray(r.from, r.to).sort((a, b) => (cols.t[a] as number) - (cols.t[b] as number) || a - b);
  }
  const out: PointColumns = { t: new Float64Array(n), lat: new Float64Array(n), lng: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const j = order[i] as number;
    out.t[i] = cols.t[j] as number;
    out.lat[i] = cols.lat[j] as number;
    out.lng[i] = cols.lng[j] as number;
  }
  return { cols: out, ranges };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function run(argv: readonly string[]): { output: string; detectMs: number; stays: number } {
  const args = parseArgs(argv);
  let parsed: ParsedPoints;
  try {
    parsed = readPointsCsv(args.input);
  } catch (err) {
    if (err instanceof CsvError) throw new CliError(`${args.input}:${err.line}: ${err.message}`, 1);
    throw new CliError(`cannot read ${args.input}: ${(err as Error).message}`, 1);
  }
  const { cols, ranges } = groupByUser(parsed);
  const out: string[] = ["user_id,started_at,finished_at,lat,lng"];
  let detectNs = 0n;
  let stays = 0;
  for (const { user, from, to } of ranges) {
    const started = process.hrtime.bigint();
    const found = detectStayPointsColumns(cols, args.options, from, to);
    detectNs += process.hrtime.bigint() - started;
    const id = csvField(parsed.users[user] as string);
    for (const s of found) {
      out.push(`${id},${new Date(s.startMs).toISOString()},${new Date(s.endMs).toISOString()},${s.lat.toFixed(7)},${s.lng.toFixed(7)}`);
    }
    stays += found.length;
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
