import { strict as assert } from "node:assert";
import fc from "fast-check";
import { CsvError, HEADER, PointsCsvReader } from "../src/staypoints-csv";
import { parseIsoWithOffset } from "../../functions/src/gps/isoTime";

/** What a row means, read from its text alone (split on commas, parseIsoWithOffset, Number): the reader must agree. */
function reference(row: string): { id: string; t: number; lat: number; lng: number } | undefined {
  const fields = row.split(",");
  if (fields.length !== 4 || row.includes('"')) return undefined;
  const [id, at, latText, lngText] = fields as [string, string, string, string];
  const t = parseIsoWithOffset(at.trim());
  const lat = latText.trim() === "" ? Number.NaN : Number(latText);
  const lng = lngText.trim() === "" ? Number.NaN : Number(lngText);
  if (id === "" || typeof t !== "number" || !(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180)) return undefined;
  return { id, t, lat, lng };
}

const pad = (n: number, w: number): string => String(n).padStart(w, "0");
/** Mostly the forms the reader's fast path takes, now and then one it leaves to the text path or one it must reject. */
const rare = <T>(common: fc.Arbitrary<T>, others: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: common, weight: 30 }, { arbitrary: others, weight: 1 });
const timestamp = fc
  .record({
    // Mostly within two days, so that rows share or nearly share their date and hour, as in an export.
    ms: rare(fc.integer({ min: Date.UTC(2026, 9, 1), max: Date.UTC(2026, 9, 3) }), fc.integer({ min: Date.UTC(1999, 0, 1), max: Date.UTC(2040, 0, 1) })),
    fraction: rare(fc.constantFrom("", ".5", ".123", ".123456"), fc.constant(".")),
    offset: rare(fc.constantFrom("Z", "+09:00", "-03:30"), fc.constantFrom("+0900", "+09", "+24:00", "+09:60", "")),
    sep: rare(fc.constant("T"), fc.constantFrom(" ", "t")),
    seconds: rare(fc.constant(true), fc.constant(false)),
  })
  .map(({ ms, fraction, offset, sep, seconds }) => {
    const d = new Date(ms);
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
    const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}${seconds ? `:${pad(d.getUTCSeconds(), 2)}${fraction}` : ""}`;
    return `${date}${sep}${time}${offset}`;
  });
const decimal = rare(
  fc.oneof(
    fc.double({ min: -90, max: 90, noNaN: true }).map(String),
    fc.tuple(fc.integer({ min: -89, max: 89 }), fc.nat({ max: 99_999_999 }), fc.integer({ min: 0, max: 9 })).map(([i, f, zeros]) => `${i}.${"0".repeat(zeros)}${f}`),
  ),
  fc.constantFrom("-0", "1e2", ".5", "5.", "", " 37.5", "0x10", "90.0000000000000001", "127.12345678901234", "-180.5", "95"),
);
const row = fc
  .tuple(fc.constantFrom("u", "u", "u", "user-1", "ü", "u u"), timestamp, decimal, decimal, fc.constantFrom("\n", "\r\n"))
  .map(([id, at, lat, lng, eol]) => `${id},${at},${lat},${lng}${eol}`);

/** Feeds `text` to a reader in the given chunk sizes, as readPointsCsv does (the unread tail carried over). */
function readInChunks(text: string, sizes: number[]) {
  const bytes = Buffer.from(text, "utf8");
  const reader = new PointsCsvReader({ rows: 4 });
  let carried = Buffer.alloc(0);
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = sizes.length > 0 ? (sizes[k % sizes.length] as number) : bytes.length;
    const next = Buffer.concat([carried, bytes.subarray(at, at + size)]);
    at += size;
    carried = Buffer.from(next.subarray(reader.push(next)));
  }
  return reader.end(carried);
}

describe("staypoints-csv", () => {
  it("reads every row as its text means, however the file is cut into chunks", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 90 }), { maxLength: 5 }), (rows, sizes) => {
        const text = `${HEADER}\n${rows.join("")}`;
        const firstBad = rows.findIndex((r) => reference(r.replace(/\r?\n$/, "")) === undefined);
        let parsed;
        try {
          parsed = readInChunks(text, sizes);
        } catch (err) {
          assert.ok(err instanceof CsvError, String(err));
          assert.equal(err.line, firstBad + 2, err.message);
          return;
        }
        assert.equal(firstBad, -1, "a row the reference rejects was accepted");
        const expected = rows.map((r) => reference(r.replace(/\r?\n$/, "")) as NonNullable<ReturnType<typeof reference>>);
        assert.deepEqual(
          Array.from(parsed.user, (u, i) => [parsed.users[u], parsed.cols.t[i], parsed.cols.lat[i], parsed.cols.lng[i]]),
          expected.map((e) => [e.id, e.t, e.lat, e.lng]),
        );
      }),
      { numRuns: 300 },
    );
  });
});
