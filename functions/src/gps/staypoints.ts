/**
 * Stay-point detection: the sliding-window method of Li et al. (2008) — from an anchor point, extend while points stay
 * within a distance threshold; a window that lasts long enough is a stay at the mean of its points — with two faults
 * of the classic method removed:
 *
 * 1. Sampling gaps while moving. The classic method ends a stay at the first point outside the window, so a lone fix
 *    followed by hours without fixes (phone asleep on a drive) becomes a long false stay. Here the departure gap counts
 *    towards the stay only when it is at most `maxGapMs`; otherwise the stay ends at its last point inside the window.
 * 2. Splits from an approach anchor (or a single jittery fix). When the anchor was taken on the approach, points at the
 *    place drift out of its radius and the classic method cuts one stay in two. Here a new stay whose centroid lies
 *    within `distanceMeters` of the previous one, with every point in between also within that distance, is merged
 *    into it instead of being emitted separately.
 *
 * One pass over columnar typed arrays: each point is compared with the window anchor (equirectangular distance around
 * the anchor, exact to well under a metre at these radii) and at most once with the previous stay; no allocation per
 * point, only per stay.
 */

export interface GpsPoint {
  /** Epoch milliseconds. */
  t: number;
  lat: number;
  lng: number;
}

export interface StayPointOptions {
  distanceMeters: number;
  minDurationMs: number;
  /** Longest departure gap still counted as time at the place; defaults to DEFAULT_MAX_GAP_MS. */
  maxGapMs?: number;
}

export interface StayPoint {
  lat: number;
  lng: number;
  startMs: number;
  endMs: number;
  pointCount: number;
}

/** Points as parallel columns, sorted by `t`; what the detector actually reads. */
export interface PointColumns {
  t: Float64Array;
  lat: Float64Array;
  lng: Float64Array;
}

/** Two saveLocation wake-ups: a phone at rest still records a fix at least this often when pushes get through. */
export const DEFAULT_MAX_GAP_MS = 60 * 60_000;

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;
const FIELDS = 5;

/** Detects stays in points sorted by `t` (ties allowed); throws RangeError on unsorted input or bad options. */
export function detectStayPoints(points: readonly GpsPoint[], options: StayPointOptions): StayPoint[] {
  return detectStayPointsColumns(toColumns(points), options);
}

export function toColumns(points: readonly GpsPoint[]): PointColumns {
  const n = points.length;
  const cols: PointColumns = { t: new Float64Array(n), lat: new Float64Array(n), lng: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const p = points[i] as GpsPoint;
    cols.t[i] = p.t;
    cols.lat[i] = p.lat;
    cols.lng[i] = p.lng;
  }
  return cols;
}

/** The detector over `cols[from, to)`; the CLI and the benchmark call it on one user's slice without copying. */
export function detectStayPointsColumns(
  cols: PointColumns,
  options: StayPointOptions,
  from = 0,
  to = cols.t.length,
): StayPoint[] {
  const { distanceMeters, minDurationMs } = options;
  const maxGapMs = options.maxGapMs ?? DEFAULT_MAX_GAP_MS;
  if (!(distanceMeters > 0) || !Number.isFinite(distanceMeters)) throw new RangeError("distanceMeters must be > 0");
  if (!(minDurationMs >= 0) || !Number.isFinite(minDurationMs)) throw new RangeError("minDurationMs must be >= 0");
  if (!(maxGapMs >= 0)) throw new RangeError("maxGapMs must be >= 0");
  const { t, lat, lng } = cols;
  if (from < 0 || to > t.length || to > lat.length || to > lng.length) throw new RangeError("range outside columns");
  if (to <= from) return [];

  const d2 = distanceMeters * distanceMeters;
  let out: Float64Array<ArrayBuffer> = new Float64Array(FIELDS * 64);
  let outLen = 0;

  // The open window [s, k): anchor and coordinate sums.
  let s = from;
  let aLat = lat[s] as number;
  let aLng = lng[s] as number;
  let aKx = METRES_PER_DEGREE * Math.cos(aLat * RAD);
  let wLat = aLat;
  let wLng = aLng;

  // The last stay found, held back until it is clear the next one does not continue it.
  let hasPending = false;
  let pLatSum = 0;
  let pLngSum = 0;
  let pCount = 0;
  let pStart = 0;
  let pEnd = 0;
  let pLat = 0;
  let pLng = 0;
  let pKx = 0;
  // First index after the pending stay that lies outside its radius, and the sums of the failed windows before it.
  let firstFar = Infinity;
  let bLat = 0;
  let bLng = 0;
  let bCount = 0;

  for (let k = from + 1; k <= to; k++) {
    let la = 0;
    let ln = 0;
    if (k < to) {
      const tk = t[k] as number;
      if (!(tk >= (t[k - 1] as number))) throw new RangeError(`points must be sorted by t (index ${k - from})`);
      la = lat[k] as number;
      ln = lng[k] as number;
      let dLng = ln - aLng;
      if (dLng > 180) dLng -= 360;
      else if (dLng < -180) dLng += 360;
      const dx = dLng * aKx;
      const dy = (la - aLat) * METRES_PER_DEGREE;
      if (dx * dx + dy * dy <= d2) {
        wLat += la;
        wLng += ln;
        if (hasPending && firstFar === Infinity && !near(pLat, pLng, pKx, la, ln, d2)) firstFar = k;
        continue;
      }
    }

    // The window [s, k) closes: point k is outside it, or the track ended.
    const count = k - s;
    const last = t[k - 1] as number;
    const endMs = k < to && (t[k] as number) - last <= maxGapMs ? (t[k] as number) : last;
    const startMs = t[s] as number;
    if (endMs - startMs >= minDurationMs) {
      const cLat = wLat / count;
      const cLng = wLng / count;
      const continues = firstFar >= s || startMs - pEnd < minDurationMs;
      if (hasPending && continues && near(pLat, pLng, pKx, cLat, cLng, d2)) {
        pLatSum += bLat + wLat;
        pLngSum += bLng + wLng;
        pCount += bCount + count;
        pEnd = endMs;
      } else {
        if (hasPending) {
          out = appendStay(out, outLen, pLat, pLng, pStart, pEnd, pCount);
          outLen += FIELDS;
        }
        hasPending = true;
        pLatSum = wLat;
        pLngSum = wLng;
        pCount = count;
        pStart = startMs;
        pEnd = endMs;
      }
      pLat = pLatSum / pCount;
      pLng = pLngSum / pCount;
      pKx = METRES_PER_DEGREE * Math.cos(pLat * RAD);
      firstFar = Infinity;
      bLat = 0;
      bLng = 0;
      bCount = 0;
      s = k;
      wLat = la;
      wLng = ln;
    } else {
      // The window was too short: re-anchor at k, taking back the fixes just before it that lie within its radius,
      // so a stay reached through an approach fix still starts at its first fix.
      aKx = METRES_PER_DEGREE * Math.cos(la * RAD);
      let m = k;
      let mLat = 0;
      let mLng = 0;
      if (k < to) {
        while (m > s && near(la, ln, aKx, lat[m - 1] as number, lng[m - 1] as number, d2)) {
          m--;
          mLat += lat[m] as number;
          mLng += lng[m] as number;
        }
      }
      if (hasPending && firstFar === Infinity) {
        bLat += wLat - mLat;
        bLng += wLng - mLng;
        bCount += m - s;
      }
      s = m;
      wLat = la + mLat;
      wLng = ln + mLng;
    }
    if (k === to) break;

    aLat = la;
    aLng = ln;
    aKx = METRES_PER_DEGREE * Math.cos(la * RAD);
    if (hasPending && firstFar === Infinity && !near(pLat, pLng, pKx, la, ln, d2)) firstFar = k;
  }
  if (hasPending) {
    out = appendStay(out, outLen, pLat, pLng, pStart, pEnd, pCount);
    outLen += FIELDS;
  }

  const stays: StayPoint[] = new Array<StayPoint>(outLen / FIELDS);
  for (let i = 0, j = 0; i < outLen; i += FIELDS, j++) {
    stays[j] = {
      lat: out[i] as number,
      lng: out[i + 1] as number,
      startMs: out[i + 2] as number,
      endMs: out[i + 3] as number,
      pointCount: out[i + 4] as number,
    };
  }
  return stays;
}

function near(lat0: number, lng0: number, kx: number, lat1: number, lng1: number, d2: number): boolean {
  let dLng = lng1 - lng0;
  if (dLng > 180) dLng -= 360;
  else if (dLng < -180) dLng += 360;
  const dx = dLng * kx;
  const dy = (lat1 - lat0) * METRES_PER_DEGREE;
  return dx * dx + dy * dy <= d2;
}

/**
 * Writes one stay's FIELDS at `at`, doubling the buffer when it is full; returns the buffer to keep writing to. A plain
 * function rather than a closure, so the detector's loop state is not captured into a heap context.
 */
function appendStay(
  out: Float64Array<ArrayBuffer>,
  at: number,
  lat: number,
  lng: number,
  startMs: number,
  endMs: number,
  pointCount: number,
): Float64Array<ArrayBuffer> {
  let buf = out;
  if (at + FIELDS > buf.length) {
    buf = new Float64Array(buf.length * 2);
    buf.set(out);
  }
  buf[at] = lat;
  buf[at + 1] = lng;
  buf[at + 2] = startMs;
  buf[at + 3] = endMs;
  buf[at + 4] = pointCount;
  return buf;
}

/** Great-circle distance in metres; for callers outside the hot loop (categories, tests). */
export function haversineMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}
