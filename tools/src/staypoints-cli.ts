/**
 * Stay points from a CSV export, for analysts and for checking the detector on real data:
 *
 *   npm run staypoints -- --input points.csv --output stays.csv \
 *     --distance-m 100 --min-duration-min 5 [--travel-speed-mps 1.4]
 *
 * Input header `user_id,tracked_at,lat,lng` (ISO-8601 with offset), any number of users in any order; output
 * `user_id,started_at,finished_at,lat,lng` (ISO-8601 UTC), users in order of first appearance. Prints
 * `detect_ms=<n>`, the time spent in the detector. Exits 1 with the line number on a malformed row, 2 on bad
 * arguments.
 *
 * An export as the app writes it (rows grouped by user, time-ordered) is streamed, each user detected as soon as its
 * rows end, so memory is one user's rows (staypoints-stream.ts); any other file is read whole and sorted per user
 * first. Both run the detector the api uses (detectStayPointsColumns; the travel speed defaults as in the api) on
 * the same rows, so they write the same bytes.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { CsvError, type ParsedPoints, readPointsCsv } from "./staypoints-csv";
import { type Run, readGrouped, runText } from "./staypoints-stream";
import { DEFAULT_TRAVEL_SPEED_MPS, type PointColumns, type StayPointOptions } from "../../functions/src/gps/staypoints";

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
const HEADER_OUT = "user_id,started_at,finished_at,lat,lng\n";

interface Args {
  input: string;
  output: string;
  options: StayPointOptions;
}

export function cliArgs(argv: readonly string[]): Args {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        input: { type: "string" },
        output: { type: "string" },
        "distance-m": { type: "string" },
        "min-duration-min": { type: "string" },
        "travel-speed-mps": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const required = (name: string): string => {
    const v = values[name];
    if (v === undefined) throw new CliError(`missing --${name}\n${USAGE}`, 2);
    return v;
  };
  const positive = (name: string, fallback?: number): number => {
    const raw = values[name];
    if (raw === undefined && fallback !== undefined) return fallback;
    const n = Number(raw ?? required(name));
    if (!Number.isFinite(n) || n <= 0) throw new CliError(`--${name} must be a positive number, got "${raw}"\n${USAGE}`, 2);
    return n;
  };
  return {
    input: required("input"),
    output: required("output"),
    options: {
      distanceMeters: positive("distance-m"),
      minDurationMs: positive("min-duration-min") * 60_000,
      travelSpeedMps: positive("travel-speed-mps", DEFAULT_TRAVEL_SPEED_MPS),
    },
  };
}

/**
 * Rows grouped by user (in order of first appearance) and time-ordered within a user; ties keep file order. Only a
 * file the streaming reader found out of order comes here, so there is no in-order shortcut.
 */
function groupByUser(parsed: ParsedPoints): { cols: PointColumns; ranges: { user: number; from: number; to: number }[] } {
  const { user, cols } = parsed;
  const n = user.length;
  const counts = new Int32Array(parsed.users.length + 1);
  for (let i = 0; i < n; i++) {
    const u = user[i] as number;
    counts[u + 1] = (counts[u + 1] as number) + 1;
  }
  for (let u = 0; u < parsed.users.length; u++) counts[u + 1] = (counts[u + 1] as number) + (counts[u] as number);
  const ranges = parsed.users.map((_, u) => ({ user: u, from: counts[u] as number, to: counts[u + 1] as number }));
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

/** Any file: every row kept, grouped and sorted per user, then detected. */
function readWhole(input: string, options: StayPointOptions, clock: { ns: bigint }): Run[] {
  const parsed = readPointsCsv(input);
  const { cols, ranges } = groupByUser(parsed);
  return ranges.map(({ user, from, to }) => {
    const id = parsed.users[user] as string;
    return { id, text: runText(id, cols, from, to, options, clock) };
  });
}

export function run(argv: readonly string[]): { detectMs: number } {
  const args = cliArgs(argv);
  let clock = { ns: 0n };
  let runs: Run[];
  try {
    const streamed = readGrouped(args.input, args.options, clock);
    runs = streamed.runs;
    if (!streamed.grouped) {
      clock = { ns: 0n };
      runs = readWhole(args.input, args.options, clock);
    }
  } catch (err) {
    if (err instanceof CsvError) throw new CliError(`${args.input}:${err.line}: ${err.message}`, 1);
    throw new CliError(`cannot read ${args.input}: ${(err as Error).message}`, 1);
  }
  try {
    writeFileSync(args.output, HEADER_OUT + runs.map((r) => r.text).join(""));
  } catch (err) {
    throw new CliError(`cannot write ${args.output}: ${(err as Error).message}`, 1);
  }
  return { detectMs: Number(clock.ns) / 1e6 };
}

if (require.main === module) {
  // Feedback from a function's first call on, not its ninth: the reader's and the detector's branches taken once (the
  // first row, a change of user) are then compiled with feedback instead of deoptimising the hot loops when first
  // reached. Set here, before any of them has run, so it holds for `npm run staypoints`, the bench and a bare `node`
  // alike (tools/bench/staypoints.md has what it saved).
  setFlagsFromString("--no-lazy-feedback-allocation");
  try {
    console.log(`detect_ms=${run(process.argv.slice(2)).detectMs.toFixed(3)}`);
  } catch (err) {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  }
}
