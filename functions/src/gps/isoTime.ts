/**
 * The one grammar of ISO-8601 timestamps with an offset that the api and the stay-point CLI accept:
 *
 *   YYYY-MM-DD(T| )HH:MM[:SS[.fraction]](Z | ±HH | ±HHMM | ±HH:MM)
 *
 * Digits beyond milliseconds are dropped. A timestamp with no offset is refused: it would name a different instant
 * in every time zone. Written over char codes, not as a regex plus Date.parse, so the CLI can run the same checks on
 * a million rows (its byte reader shares utcHourMs and takes only rows this grammar accepts).
 */
import { DAY_MS } from "../core/seoulTime";

/** Why a text is not a timestamp: not this shape, or this shape naming a date or time that does not exist. */
export type IsoInvalid = "format" | "date";


/** Epoch ms of `text`, or why it is not an ISO-8601 timestamp with an offset. */
export function parseIsoWithOffset(text: string): number | IsoInvalid {
  const n = text.length;
  if (n < 17) return "format";
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const sep = text.charCodeAt(10);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return "format";
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) || text.charCodeAt(13) !== 58) return "format";
  let p = 16;
  let sec = 0;
  let ms = 0;
  if (text.charCodeAt(p) === 58) {
    sec = digitsAt(text, p + 1, 2);
    if (sec < 0) return "format";
    p += 3;
    if (text.charCodeAt(p) === 46) {
      const from = ++p;
      for (; p < n && isDigit(text.charCodeAt(p)); p++) if (p - from < 3) ms = ms * 10 + text.charCodeAt(p) - 48;
      if (p === from) return "format";
      for (let k = p - from; k < 3; k++) ms *= 10;
    }
  }
  let offsetMin = 0;
  const z = text.charCodeAt(p);
  if (z === 90) {
    p++;
  } else if (z === 43 || z === 45) {
    const oh = digitsAt(text, p + 1, 2);
    let om = 0;
    p += 3;
    if (text.charCodeAt(p) === 58 || isDigit(text.charCodeAt(p))) {
      if (text.charCodeAt(p) === 58) p++;
      om = digitsAt(text, p, 2);
      p += 2;
    }
    if (oh < 0 || om < 0) return "format";
    if (oh > 23 || om > 59) return "date";
    offsetMin = z === 43 ? oh * 60 + om : -(oh * 60 + om);
  } else {
    return "format";
  }
  if (p !== n) return "format";
  const hourMs = utcHourMs(y, mo, d, h);
  if (Number.isNaN(hourMs) || mi > 59 || sec > 59) return "date";
  return hourMs + ((mi - offsetMin) * 60 + sec) * 1000 + ms;
}

/** Epoch ms of hour `h` of a real proleptic Gregorian date, read as UTC, or NaN. */
export function utcHourMs(y: number, mo: number, d: number, h: number): number {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23) return Number.NaN;
  return daysFromCivil(y, mo, d) * DAY_MS + h * 3_600_000;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The `count` digits at `at` as an integer, or -1. */
function digitsAt(text: string, at: number, count: number): number {
  if (at + count > text.length) return -1;
  let v = 0;
  for (let k = at; k < at + count; k++) {
    const c = text.charCodeAt(k);
    if (!isDigit(c)) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
