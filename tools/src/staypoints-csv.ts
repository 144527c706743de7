/**
 * The CLI's reader of `user_id,tracked_at,lat,lng` CSV: bytes in, columns out, one pass over each byte and no string
 * per row on the common path (no quotes or spaces, a user id like the previous row's, `YYYY-MM-DDTHH:MM:SS[.f]` with
 * `Z` or `±HH:MM`, decimals of at most 15 digits), four bytes at a time where it can. Any other row is read from its
 * decoded text by the same checks (the timestamp by parseIsoWithOffset, the grammar the api uses), so both paths
 * accept exactly the same rows (a property test holds them to it); the fast path only declines rows, it never rejects
 * one.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { parseIsoWithOffset, utcHourMs } from "../../functions/src/gps/isoTime";
import type { PointColumns } from "../../functions/src/gps/staypoints";

export const HEADER = "user_id,tracked_at,lat,lng";

/** A malformed input; `line` is 1-based. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ParsedPoints {
  /** User ids in order of first appearance; `user[i]` indexes it. */
  users: string[];
  user: Int32Array;
  cols: PointColumns;
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;
/** Powers of ten exact in a double: M / 10^k is then correctly rounded, as Number() is. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** The `n` digits at `at` as an integer, or -1. */
function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let k = at; k < at + n; k++) {
    const d = (b[k] as number) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

function twoDigits(b: Uint8Array, at: number): number {
  const h = (b[at] as number) - 48;
  const l = (b[at + 1] as number) - 48;
  return h >= 0 && h <= 9 && l >= 0 && l <= 9 ? h * 10 + l : -1;
}

/** The value of four ASCII digits read as a little-endian word (the first digit in the low byte), or -1. */
function fourDigits(word: number): number {
  // Each byte is a digit when its high nibble is 3 and adding 6 leaves it 3 (so its low nibble is at most 9).
  if (((word & 0xf0f0f0f0) | (((word + 0x06060606) & 0xf0f0f0f0) >>> 4)) !== 0x33333333) return -1;
  const d = word - 0x30303030;
  return (d & 0xff) * 1000 + ((d >>> 8) & 0xff) * 100 + ((d >>> 16) & 0xff) * 10 + (d >>> 24);
}

/** Epoch ms at UTC of the `YYYY-MM-DDTHH` (or `YYYY-MM-DD HH`) at `s`, a real date, or NaN. */
function hourAt(b: Uint8Array, s: number): number {
  const y = digits(b, s, 4);
  const mo = twoDigits(b, s + 5);
  const d = twoDigits(b, s + 8);
  const h = twoDigits(b, s + 11);
  if (y < 0 || mo < 0 || d < 0 || h < 0) return Number.NaN;
  if (b[s + 4] !== 45 || b[s + 7] !== 45 || (b[s + 10] !== 84 && b[s + 10] !== 32)) return Number.NaN;
  return utcHourMs(y, mo, d, h);
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

export interface ReaderOptions {
  /** Room for about this many rows before the columns grow. */
  rows?: number;
  /**
   * Called with the rows of one user so far (`cols[0, rows)`) when a row of another user follows, and by end() with
   * the last user's; the reader then reuses the columns, so memory is one user's rows, not the file's. Without it the
   * reader keeps every row.
   */
  onRun?: (user: number, cols: PointColumns, rows: number) => void;
}

/** Push the file's bytes in order, then `end()`. */
export class PointsCsvReader {
  /**
   * Whether the rows so far come one user after another, each user's in time order: what streaming them by user
   * (`onRun`) needs. A file that is not must be read whole and sorted.
   */
  grouped = true;
  /** User ids in order of first appearance; the `user` passed to onRun indexes it. */
  readonly users: string[] = [];
  private readonly userIndex = new Map<string, number>();
  private user: Int32Array;
  private t: Float64Array;
  private lat: Float64Array;
  private lng: Float64Array;
  /**
   * The columns as onRun gets them: one object, made again only when they grow. A new object per run generalised its
   * field types on the second run and threw away the detector's optimised code.
   */
  private cols: PointColumns;
  private rows = 0;
  /** Lines read, the header included. */
  line = 0;
  private readonly onRun: ((user: number, cols: PointColumns, rows: number) => void) | undefined;
  /** The user of the last row. */
  private runUser = -1;
  private lastId = new Uint8Array(0);
  private lastUser = -1;
  /** The fast path's last `YYYY-MM-DDTHH` (bytes 0–11 as three little-endian words, byte 12), its epoch ms at UTC. */
  private hour0 = -1;
  private hour1 = -1;
  private hour2 = -1;
  private hour3 = -1;
  private hourMs = 0;

  constructor(options: ReaderOptions = {}) {
    const n = Math.max(16, Math.ceil(options.rows ?? 1 << 16));
    this.onRun = options.onRun;
    this.user = new Int32Array(n);
    this.t = new Float64Array(n);
    this.lat = new Float64Array(n);
    this.lng = new Float64Array(n);
    this.cols = { t: this.t, lat: this.lat, lng: this.lng };
  }

  /** Reads the complete lines of `b[0, n)`; returns where the incomplete last one starts (n when there is none). */
  push(b: Buffer, n = b.length): number {
    // Room for every row the chunk can hold (a row the fast path takes has at least 26 bytes), so that the per-row
    // path never grows the columns.
    if (this.rows + (n >> 4) + 1 > this.t.length) this.grow(this.rows + (n >> 4) + 1);
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let s = 0;
    while (s < n) {
      if (this.line > 0) s = this.fastRows(b, view, s, n);
      const nl = b.indexOf(LF, s);
      if (nl < 0 || nl >= n) break;
      this.lineAt(b, s, nl, true);
      s = nl + 1;
    }
    return s;
  }

  /**
   * The common rows from `from` on, each read in one pass over its bytes into the columns: `id,YYYY-MM-DDTHH:MM:SS[.f+]
   * (Z|±HH:MM),decimal,decimal` and a newline, no quotes, no spaces. Every value stays in a local (no number is boxed,
   * no string made unless the user id changes). Returns where the first row it leaves to lineAt starts (or the
   * incomplete tail, or n).
   */
  private fastRows(b: Buffer, view: DataView, from: number, n: number): number {
    // One loop over the rows rather than a call per row: it is optimised on the stack (OSR) within the first chunk.
    for (let s = from; ; ) {
      if (s >= n) return s;
      // One loop for a repeated id and a new one alike: a branch taken only when the user changes would be compiled
      // without feedback and throw the optimised code away on the first change.
      const last = this.lastId;
      const len = last.length;
      let same = this.lastUser >= 0;
      let p = s;
      for (; p < n; p++) {
        const c = b[p] as number;
        if (c === COMMA) break;
        if (c === QUOTE || c === LF) return s;
        same = same && p - s < len && c === last[p - s];
      }
      if (p >= n || p === s) return s;
      same = same && p - s === len;
      const c1 = p;

      // tracked_at: the hour is read and checked once for all the rows that share it.
      const ts = c1 + 1;
      if (ts + 20 >= n) return s;
      if (
        view.getUint32(ts, true) !== this.hour0 ||
        view.getUint32(ts + 4, true) !== this.hour1 ||
        view.getUint32(ts + 8, true) !== this.hour2 ||
        b[ts + 12] !== this.hour3
      ) {
        const ms = hourAt(b, ts);
        if (Number.isNaN(ms)) return s;
        this.hour0 = view.getUint32(ts, true);
        this.hour1 = view.getUint32(ts + 4, true);
        this.hour2 = view.getUint32(ts + 8, true);
        this.hour3 = b[ts + 12] as number;
        this.hourMs = ms;
      }
      const mi = twoDigits(b, ts + 14);
      const sec = twoDigits(b, ts + 17);
      if (b[ts + 13] !== 58 || b[ts + 16] !== 58 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return s;
      p = ts + 19;
      let ms = 0;
      if (b[p] === 46) {
        const from = ++p;
        for (; p < n; p++) {
          const d = (b[p] as number) - 48;
          if (!(d >= 0 && d <= 9)) break;
          if (p - from < 3) ms = ms * 10 + d;
        }
        if (p === from || p >= n) return s;
        for (let f = p - from; f < 3; f++) ms *= 10;
      }
      let offsetMin = 0;
      const z = b[p];
      if (z === 90) {
        p++;
      } else if (z === 43 || z === 45) {
        if (p + 6 >= n || b[p + 3] !== 58) return s;
        const oh = twoDigits(b, p + 1);
        const om = twoDigits(b, p + 4);
        if (oh < 0 || oh > 23 || om < 0 || om > 59) return s;
        offsetMin = z === 43 ? oh * 60 + om : -(oh * 60 + om);
        p += 6;
      } else {
        return s;
      }
      if (b[p] !== COMMA) return s;
      const t = this.hourMs + ((mi - offsetMin) * 60 + sec) * 1000 + ms;

      // lat and lng: `[-]digits[.digits]`, at most 15 digits, so the integer of its digits is exact and one division by
      // an exact power of ten rounds it correctly, as Number() does.
      let la = 0;
      let ln = 0;
      for (let field = 0; field < 2; field++) {
        p++;
        const negative = b[p] === 45;
        if (negative) p++;
        let m = 0;
        let count = 0;
        let scale = -1;
        for (; p < n; p++) {
          const d = (b[p] as number) - 48;
          if (d >= 0 && d <= 9) {
            m = m * 10 + d;
            count++;
            if (scale >= 0) scale++;
          } else if (d === -2 && scale < 0) {
            scale = 0;
            // Four fraction digits at a time while they last: the byte test and value of fourDigits.
            while (p + 5 <= n && count <= 11) {
              const four = fourDigits(view.getUint32(p + 1, true));
              if (four < 0) break;
              m = m * 10_000 + four;
              count += 4;
              scale += 4;
              p += 4;
            }
          } else {
            break;
          }
        }
        if (count === 0 || count > 15 || scale === 0 || p >= n) return s;
        const magnitude = scale > 0 ? m / (POW10[scale] as number) : m;
        const v = negative ? -magnitude : magnitude;
        if (field === 0) {
          if (b[p] !== COMMA) return s;
          la = v;
        } else {
          ln = v;
        }
      }
      if (b[p] === CR) p++;
      if (p >= n || b[p] !== LF) return s;
      if (!(la >= -90 && la <= 90) || !(ln >= -180 && ln <= 180)) return s;
      if (!same) {
        this.lastUser = this.userOf(b.toString("utf8", s, c1));
        this.lastId = Uint8Array.prototype.slice.call(b, s, c1);
      }
      // The row is stored here rather than through add(): a call would box its three doubles.
      const u = this.lastUser;
      if (u !== this.runUser) {
        // A finished run is handed over by lineAt (this row read again there), not from here: a call made only when the
        // user changes would be compiled without feedback and deoptimise this function on the first change. Both
        // fields are read on the first row, so their loads have feedback too.
        const streaming = this.onRun !== undefined;
        const pending = this.rows;
        if (streaming && pending > 0) return s;
        this.startRun(u);
      } else if (t < (this.t[this.rows - 1] as number)) this.grouped = false;
      this.line++;
      // No capacity check: push() made room for every row its chunk can hold.
      const r = this.rows++;
      this.user[r] = u;
      this.t[r] = t;
      this.lat[r] = la;
      this.lng[r] = ln;
      s = p + 1;
    }
  }

  /** After the last push: `tail` is what it left unread (the last line, when the file does not end in a newline). */
  end(tail: Buffer = Buffer.alloc(0)): ParsedPoints {
    if (tail.length > 0) this.lineAt(tail, 0, tail.length, false);
    if (this.line === 0) this.header("");
    this.handOver();
    const n = this.rows;
    return {
      users: this.users,
      user: this.user.subarray(0, n),
      cols: { t: this.t.subarray(0, n), lat: this.lat.subarray(0, n), lng: this.lng.subarray(0, n) },
    };
  }

  private header(text: string): void {
    const header = text.replace(/^\uFEFF/, "").trim();
    if (header !== HEADER) throw new CsvError(1, `expected header "${HEADER}", got "${header}"`);
  }

  private lineAt(b: Buffer, s: number, e0: number, terminated: boolean): void {
    const e = e0 > s && b[e0 - 1] === CR ? e0 - 1 : e0;
    this.line++;
    if (this.line === 1) return this.header(b.toString("utf8", s, e));
    if (e === s) {
      if (terminated) throw new CsvError(this.line, "empty line");
      return;
    }
    this.slowRow(b.toString("utf8", s, e));
  }

  /** Every row the fast path did not take: the same checks on the decoded text, with the error naming the line. */
  private slowRow(line: string): void {
    const fields = splitCsv(line);
    const bad = (why: string): CsvError => new CsvError(this.line, `${why}: ${line.slice(0, 200)}`);
    if (!fields || fields.length !== 4) throw bad(`expected 4 fields, got ${fields ? fields.length : "unbalanced quotes"}`);
    const [id, at, latText, lngText] = fields as [string, string, string, string];
    if (id === "") throw bad("empty user_id");
    const t = parseIsoWithOffset(at.trim());
    if (typeof t !== "number") throw bad(`tracked_at "${at}" is not ISO-8601 with an offset`);
    const lat = latText.trim() === "" ? Number.NaN : Number(latText);
    const lng = lngText.trim() === "" ? Number.NaN : Number(lngText);
    if (!(lat >= -90 && lat <= 90)) throw bad(`lat "${latText}" is not a number in [-90, 90]`);
    if (!(lng >= -180 && lng <= 180)) throw bad(`lng "${lngText}" is not a number in [-180, 180]`);
    this.lastUser = -1;
    this.add(this.userOf(id), t, lat, lng);
  }

  private userOf(id: string): number {
    let u = this.userIndex.get(id);
    if (u === undefined) {
      u = this.users.length;
      this.users.push(id);
      this.userIndex.set(id, u);
    }
    return u;
  }

  private add(u: number, t: number, lat: number, lng: number): void {
    if (u !== this.runUser) this.startRun(u);
    else if (t < (this.t[this.rows - 1] as number)) this.grouped = false;
    if (this.rows === this.t.length) this.grow(this.rows + 1);
    this.user[this.rows] = u;
    this.t[this.rows] = t;
    this.lat[this.rows] = lat;
    this.lng[this.rows] = lng;
    this.rows++;
  }

  /** A row of user `u` follows one of another user: hands the finished run to onRun, if any. */
  private startRun(u: number): void {
    // Users are numbered as they first appear, so a run of any user but the newest is a user seen before.
    if (u !== this.users.length - 1) this.grouped = false;
    this.handOver();
    this.runUser = u;
  }

  /** The rows of the run so far to onRun, if any; the columns are then free for the next run. */
  private handOver(): void {
    if (this.onRun && this.rows > 0) {
      this.onRun(this.runUser, this.cols, this.rows);
      this.rows = 0;
    }
  }

  /** Columns of at least `rows` rows, doubling. */
  private grow(rows: number): void {
    let size = this.t.length * 2;
    while (size < rows) size *= 2;
    const twice = <A extends Int32Array | Float64Array>(a: A, make: (n: number) => A): A => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.user = twice(this.user, (n) => new Int32Array(n));
    this.t = twice(this.t, (n) => new Float64Array(n));
    this.lat = twice(this.lat, (n) => new Float64Array(n));
    this.lng = twice(this.lng, (n) => new Float64Array(n));
    this.cols = { t: this.t, lat: this.lat, lng: this.lng };
  }
}

/** Reads an open file through `reader`, a chunk at a time. */
export function readFd(fd: number, reader: PointsCsvReader): ParsedPoints {
  let buf = Buffer.allocUnsafe(1 << 20);
  let filled = 0;
  for (;;) {
    if (filled === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const n = readSync(fd, buf, filled, buf.length - filled, null);
    if (n === 0) return reader.end(buf.subarray(0, filled));
    filled += n;
    const used = reader.push(buf, filled);
    buf.copyWithin(0, used, filled);
    filled -= used;
  }
}

/** Reads a whole file, every row kept; the columns are sized from the file's length. */
export function readPointsCsv(path: string): ParsedPoints {
  const fd = openSync(path, "r");
  try {
    return readFd(fd, new PointsCsvReader({ rows: fstatSync(fd).size / 40 }));
  } finally {
    closeSync(fd);
  }
}
