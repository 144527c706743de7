/**
 * The CLI's unit of work: one part of the export, a byte range that starts at a line, read and detected user by user
 * as the rows stream by, so memory is one user's rows. A part answers for itself only while its rows come grouped by
 * user and time-ordered; the CLI then joins parts (joinParts) or, for any other file, reads it whole and sorts.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { PointsCsvReader, readRange } from "./staypoints-csv";
import { type PointColumns, type StayPointOptions, detectStayPointsColumns } from "../../functions/src/gps/staypoints";

/** One user's rows within a part, as output lines; `cols` kept for the part's first and last run, for a join. */
export interface Run {
  id: string;
  text: string;
  cols?: PointColumns;
}

export interface Part {
  /** Lines read, the header included when the part is the file's first. */
  lines: number;
  /** Time spent in the detector, ms. */
  detectMs: number;
  /** False when the part's rows are not grouped by user and time-ordered: `runs` are then incomplete. */
  grouped: boolean;
  runs: Run[];
}

/** The output lines of the stays in `cols[from, to)`, one user's time-ordered rows; `clock.ns` gains the detector's time. */
export function runText(id: string, cols: PointColumns, from: number, to: number, options: StayPointOptions, clock: { ns: bigint }): string {
  const quoted = /[",\r\n]/.test(id) ? `"${id.replace(/"/g, '""')}"` : id;
  const started = process.hrtime.bigint();
  const stays = detectStayPointsColumns(cols, options, from, to);
  clock.ns += process.hrtime.bigint() - started;
  let text = "";
  for (const s of stays) {
    text += `${quoted},${new Date(s.startMs).toISOString()},${new Date(s.endMs).toISOString()},${s.lat.toFixed(7)},${s.lng.toFixed(7)}\n`;
  }
  return text;
}

function copyRows(cols: PointColumns, rows: number): PointColumns {
  return { t: cols.t.slice(0, rows), lat: cols.lat.slice(0, rows), lng: cols.lng.slice(0, rows) };
}

/** Stops reading a part at its first sign of not being grouped. */
class NotGrouped extends Error {}

/** Reads and detects `[start, end)` of the file; a malformed row throws CsvError with its line within the part. */
export function readPart(path: string, start: number, end: number, options: StayPointOptions): Part {
  const runs: Run[] = [];
  const clock = { ns: 0n };
  const reader: PointsCsvReader = new PointsCsvReader({
    header: start === 0,
    onRun: (user, cols, rows) => {
      if (!reader.grouped) throw new NotGrouped();
      const id = reader.users[user] as string;
      runs.push({ id, text: runText(id, cols, 0, rows, options, clock), ...(runs.length === 0 ? { cols: copyRows(cols, rows) } : {}) });
    },
  });
  const fd = openSync(path, "r");
  try {
    const last = readRange(fd, start, end, reader);
    const detectMs = (): number => Number(clock.ns) / 1e6;
    if (!reader.grouped) return { lines: reader.line, detectMs: detectMs(), grouped: false, runs };
    const rows = last.user.length;
    if (rows > 0) {
      const id = reader.users[last.user[0] as number] as string;
      runs.push({ id, text: runText(id, last.cols, 0, rows, options, clock), cols: copyRows(last.cols, rows) });
    }
    return { lines: reader.line, detectMs: detectMs(), grouped: true, runs };
  } catch (err) {
    if (err instanceof NotGrouped) return { lines: reader.line, detectMs: 0, grouped: false, runs };
    throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * The runs of two consecutive parts as one file's, in order: a user split across the boundary is detected again on
 * its rows joined. Undefined when the file is not grouped by user and time-ordered across the boundary.
 */
export function joinParts(a: Part, b: Part, options: StayPointOptions, clock: { ns: bigint }): Run[] | undefined {
  if (!a.grouped || !b.grouped) return undefined;
  const runs = a.runs.slice();
  let rest = b.runs;
  const last = runs[runs.length - 1];
  const first = rest[0];
  if (last?.cols && first?.cols && last.id === first.id) {
    const x = last.cols;
    const y = first.cols;
    if (!((y.t[0] as number) >= (x.t[x.t.length - 1] as number))) return undefined;
    const join = (p: Float64Array, q: Float64Array): Float64Array => {
      const out = new Float64Array(p.length + q.length);
      out.set(p);
      out.set(q, p.length);
      return out;
    };
    const cols = { t: join(x.t, y.t), lat: join(x.lat, y.lat), lng: join(x.lng, y.lng) };
    runs[runs.length - 1] = { id: last.id, text: runText(last.id, cols, 0, cols.t.length, options, clock) };
    rest = rest.slice(1);
  }
  const ids = new Set(runs.map((r) => r.id));
  return rest.some((r) => ids.has(r.id)) ? undefined : [...runs, ...rest];
}

/** The user id at the start of the first line that starts at or after `pos`, and where that line starts. */
function lineAfter(fd: number, pos: number, size: number): { start: number; id: string } | undefined {
  const buf = Buffer.allocUnsafe(4096);
  const from = Math.max(0, pos - 1);
  const n = readSync(fd, buf, 0, buf.length, from);
  const nl = pos === 0 ? -1 : buf.subarray(0, n).indexOf(10);
  if (pos > 0 && nl < 0) return undefined;
  const start = pos === 0 ? 0 : from + nl + 1;
  if (start >= size) return undefined;
  const line = buf.subarray(start - from, n);
  const comma = line.indexOf(44);
  return { start, id: line.toString("latin1", 0, comma < 0 ? line.length : comma) };
}

/**
 * Where to cut the file in two for two parts read side by side: the start of a line near the middle, at a change of
 * user when one lies within a quarter of the file (found by bisection on a few 4 KiB reads), so that no user's rows
 * need joining. Undefined when the middle has no line start (one huge line: read it as one part).
 */
export function splitPoint(path: string, size: number): number | undefined {
  const fd = openSync(path, "r");
  try {
    const mid = lineAfter(fd, size >> 1, size);
    if (!mid) return undefined;
    const reach = size >> 2;
    const differs = (pos: number): boolean => lineAfter(fd, pos, size)?.id !== mid.id;
    // The nearest change of user on each side: the smallest x with a differing line after it, or the largest x
    // before the middle with one, each by doubling a step and then bisecting.
    const forward = (): number | undefined => {
      let lo = mid.start;
      let step = 1 << 16;
      for (;;) {
        const hi = Math.min(size - 1, mid.start + step);
        if (differs(hi)) return bisect(lo, hi, (x) => differs(x));
        if (hi === size - 1 || step > reach) return undefined;
        lo = hi;
        step *= 2;
      }
    };
    const backward = (): number | undefined => {
      let hi = mid.start;
      let step = 1 << 16;
      for (;;) {
        const lo = Math.max(0, mid.start - step);
        if (lo === 0 || step > reach) return undefined;
        if (differs(lo)) return bisect(lo, hi, (x) => !differs(x));
        hi = lo;
        step *= 2;
      }
    };
    const ahead = forward();
    const behind = backward();
    const cut = (x: number | undefined): number | undefined => (x === undefined ? undefined : lineAfter(fd, x, size)?.start);
    const a = cut(ahead);
    const b = cut(behind);
    if (a !== undefined && (b === undefined || a - mid.start <= mid.start - b)) return a;
    return b ?? mid.start;
  } finally {
    closeSync(fd);
  }
}

/** The smallest x in (lo, hi] with `yes(x)`, given `yes(hi)` and that `yes` turns true once in the range. */
function bisect(lo: number, hi: number, yes: (x: number) => boolean): number {
  let a = lo;
  let b = hi;
  while (b - a > 1) {
    const m = a + Math.floor((b - a) / 2);
    if (yes(m)) b = m;
    else a = m;
  }
  return b;
}
