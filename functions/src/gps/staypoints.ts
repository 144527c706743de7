/**
 * Stay-point detection: the sliding-window method of Li et al. (2008) — a window holds the fixes after an anchor fix
 * that lie within `distanceMeters` of it; a window lasting `minDurationMs` is a stay at the mean of its fixes; a window
 * too short is dropped and the next fix becomes the anchor — with the classic method's false stays removed by one rule
 * for what the evidence allows:
 *
 * - Time between two fixes of a stay is time at the place. A stay needs at least two fixes of its own: a lone fix
 *   (one fix while driving, then a sampling gap) is never a stay, however long the gap after it.
 * - The gap after a stay's last fix, to the first fix outside its window, is credited only as far as distance allows:
 *   `gap − distance(centre, next fix) / travelSpeedMps`, at least 0 — the time left at the place had the person
 *   walked (1.4 m/s by default) to the next fix. A faster trip would allow more; the detector does not claim it. So a
 *   departure to a fix kilometres away credits nothing, and an arrival followed by hours without fixes and a next fix
 *   a few hundred metres away credits the hours less the walk.
 * - Every fix of a stay is within `distanceMeters` of its centre; a window or merge that cannot show it is not made.
 *   A window spans at most `distanceMeters` along a straight line (fixes are compared with the first one, never taken
 *   back from before it), so a straight walk slower than `distanceMeters / minDurationMs` (0.33 m/s at 100 m / 5 min)
 *   is the slowest one that can yield a stay.
 * - Windows join into one stay across fixes away from the place only when those fixes are noise, not an absence: a
 *   run of away fixes that stays within twice the radius of the centre for less than `minDurationMs` (jitter), or one
 *   that jumps out and back faster than MAX_PLAUSIBLE_SPEED_MPS (a GPS burst no vehicle could make). Anything else —
 *   a short trip observed elsewhere — separates two stays, however short it was. Noise fixes are not fixes of the
 *   stay (neither counted nor averaged). A stay window also reaches back, the same way, over the fixes before it
 *   (back to the previous stay) that lie within its radius: a stay entered through an approach fix or a jitter fix
 *   still starts at its first fix.
 *
 * The result depends only on the sorted points, so it is the same however they were uploaded. Cost: every anchor
 * scans its window, so O(n · fixes per too-short window) — a few per fix on real tracks, 1 + radius / (speed · period)
 * on a walk — plus one more pass over each stay's fixes; no allocation per point, one object per stay.
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
  /** Pace assumed for the trip after a stay's departure gap; defaults to DEFAULT_TRAVEL_SPEED_MPS. */
  travelSpeedMps?: number;
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

/** Walking pace: the departure gap is credited as if the person walked to the next fix. */
export const DEFAULT_TRAVEL_SPEED_MPS = 1.4;
/** Faster than any car or regional train: a fix that needs more to reach and leave is a GPS outlier. */
export const MAX_PLAUSIBLE_SPEED_MPS = 80;

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

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

/** A stay being built: fixes `[from, next)` except noise, their sums, centre and a bound on their distance from it. */
interface Stay {
  from: number;
  next: number;
  latSum: number;
  lngSum: number;
  count: number;
  startMs: number;
  endMs: number;
  lat: number;
  lng: number;
  kx: number;
  /** At least the largest distance of a fix of the stay from its centre, metres. */
  radius: number;
}

interface Limits {
  d: number;
  d2: number;
  minDurationMs: number;
  speed: number;
}

/** The detector over `cols[from, to)`; the CLI and the benchmark call it on one user's slice without copying. */
export function detectStayPointsColumns(
  cols: PointColumns,
  options: StayPointOptions,
  from = 0,
  to = cols.t.length,
): StayPoint[] {
  const { distanceMeters, minDurationMs } = options;
  const speed = options.travelSpeedMps ?? DEFAULT_TRAVEL_SPEED_MPS;
  if (!(distanceMeters > 0) || !Number.isFinite(distanceMeters)) throw new RangeError("distanceMeters must be > 0");
  if (!(minDurationMs >= 0) || !Number.isFinite(minDurationMs)) throw new RangeError("minDurationMs must be >= 0");
  if (!(speed > 0)) throw new RangeError("travelSpeedMps must be > 0");
  const { t, lat, lng } = cols;
  if (from < 0 || to > t.length || to > lat.length || to > lng.length) throw new RangeError("range outside columns");
  for (let k = from + 1; k < to; k++) {
    if (!((t[k] as number) >= (t[k - 1] as number))) throw new RangeError(`points must be sorted by t (index ${k - from})`);
  }
  const lim: Limits = { d: distanceMeters, d2: distanceMeters * distanceMeters, minDurationMs, speed };

  const stays: StayPoint[] = [];
  let pending: Stay | undefined;
  let i = from;
  while (i < to - 1) {
    const w = stayWindow(cols, i, to, lim);
    if (!w) {
      i++;
      continue;
    }
    i = w.next;
    const reachedPending = extendBack(cols, w, pending ? pending.next : from, pending !== undefined, lim);
    if (pending && reachedPending && merge(pending, w, lim)) continue;
    if (pending) stays.push(output(pending));
    pending = w;
  }
  if (pending) stays.push(output(pending));
  return stays;
}

/** The window anchored at `i` if it is a stay: two fixes or more, long enough with its credited gap, compact. */
function stayWindow(cols: PointColumns, i: number, to: number, lim: Limits): Stay | undefined {
  const { t, lat, lng } = cols;
  const aLat = lat[i] as number;
  const aLng = lng[i] as number;
  const aKx = kxAt(aLat);
  let latSum = aLat;
  let lngSum = aLng;
  let j = i + 1;
  while (j < to && dist2(aLat, aLng, aKx, lat[j] as number, lng[j] as number) <= lim.d2) {
    latSum += lat[j] as number;
    lngSum += lng[j] as number;
    j++;
  }
  const count = j - i;
  const startMs = t[i] as number;
  const lastMs = t[j - 1] as number;
  if (count < 2 || (j < to ? (t[j] as number) : lastMs) - startMs < lim.minDurationMs) return undefined;
  const cLat = latSum / count;
  const cLng = lngSum / count;
  const cKx = kxAt(cLat);
  let endMs = lastMs;
  if (j < to) {
    const away = Math.sqrt(dist2(cLat, cLng, cKx, lat[j] as number, lng[j] as number));
    endMs += Math.max(0, (t[j] as number) - lastMs - (away / lim.speed) * 1000);
  }
  if (endMs - startMs < lim.minDurationMs) return undefined;
  let r2 = 0;
  for (let k = i; k < j; k++) r2 = Math.max(r2, dist2(cLat, cLng, cKx, lat[k] as number, lng[k] as number));
  if (r2 > lim.d2) return undefined;
  return { from: i, next: j, latSum, lngSum, count, startMs, endMs, lat: cLat, lng: cLng, kx: cKx, radius: Math.sqrt(r2) };
}

/**
 * Takes into `w` the fixes before it, back to `lo`, that lie within its radius, across noise runs only; returns
 * whether it got back to `lo` that way (then nothing but noise separates `w` from the stay ending at `lo`).
 */
function extendBack(cols: PointColumns, w: Stay, lo: number, stayBefore: boolean, lim: Limits): boolean {
  const { t, lat, lng } = cols;
  let first = w.from;
  let k = w.from - 1;
  while (k >= lo) {
    if (dist2(w.lat, w.lng, w.kx, lat[k] as number, lng[k] as number) <= lim.d2) {
      first = k--;
      continue;
    }
    const last = k;
    let inBand = true;
    while (k >= lo && dist2(w.lat, w.lng, w.kx, lat[k] as number, lng[k] as number) > lim.d2) {
      if (dist2(w.lat, w.lng, w.kx, lat[k] as number, lng[k] as number) > 4 * lim.d2) inBand = false;
      k--;
    }
    // The run is [k + 1, last]; the fix before it is k, or the previous stay's last fix when the run starts at lo.
    if (k < lo && !stayBefore) break;
    if (!isNoise(cols, w, k, k + 1, last, inBand, lim)) {
      k = lo;
      break;
    }
  }
  const reached = k < lo;
  if (first < w.from) {
    let latSum = w.latSum;
    let lngSum = w.lngSum;
    let count = w.count;
    for (let m = first; m < w.from; m++) {
      if (dist2(w.lat, w.lng, w.kx, lat[m] as number, lng[m] as number) > lim.d2) continue;
      latSum += lat[m] as number;
      lngSum += lng[m] as number;
      count++;
    }
    const cLat = latSum / count;
    const cLng = lngSum / count;
    const cKx = kxAt(cLat);
    let radius = w.radius + Math.sqrt(dist2(w.lat, w.lng, w.kx, cLat, cLng));
    for (let m = first; m < w.from; m++) {
      if (dist2(w.lat, w.lng, w.kx, lat[m] as number, lng[m] as number) > lim.d2) continue;
      radius = Math.max(radius, Math.sqrt(dist2(cLat, cLng, cKx, lat[m] as number, lng[m] as number)));
    }
    if (radius > lim.d) return false;
    Object.assign(w, { from: first, latSum, lngSum, count, startMs: t[first] as number, lat: cLat, lng: cLng, kx: cKx, radius });
  }
  return reached && stayBefore;
}

/** Whether the away fixes `[a, b]`, between fixes `before` and `b + 1`, are noise rather than time spent elsewhere. */
function isNoise(cols: PointColumns, w: Stay, before: number, a: number, b: number, inBand: boolean, lim: Limits): boolean {
  const { t, lat, lng } = cols;
  if (inBand && (t[b] as number) - (t[a] as number) < lim.minDurationMs) return true;
  const out = Math.sqrt(dist2(w.lat, w.lng, w.kx, lat[a] as number, lng[a] as number));
  const back = Math.sqrt(dist2(w.lat, w.lng, w.kx, lat[b] as number, lng[b] as number));
  const limit = MAX_PLAUSIBLE_SPEED_MPS / 1000;
  return out > limit * ((t[a] as number) - (t[before] as number)) && back > limit * ((t[b + 1] as number) - (t[b] as number));
}

/** Merges `w` into `p` when their centres are within the radius and every fix stays provably within it. */
function merge(p: Stay, w: Stay, lim: Limits): boolean {
  if (dist2(p.lat, p.lng, p.kx, w.lat, w.lng) > lim.d2) return false;
  const count = p.count + w.count;
  const cLat = (p.latSum + w.latSum) / count;
  const cLng = (p.lngSum + w.lngSum) / count;
  const cKx = kxAt(cLat);
  const radius = Math.max(p.radius + Math.sqrt(dist2(cLat, cLng, cKx, p.lat, p.lng)), w.radius + Math.sqrt(dist2(cLat, cLng, cKx, w.lat, w.lng)));
  if (radius > lim.d) return false;
  Object.assign(p, { next: w.next, latSum: p.latSum + w.latSum, lngSum: p.lngSum + w.lngSum, count, endMs: w.endMs, lat: cLat, lng: cLng, kx: cKx, radius });
  return true;
}

function output(s: Stay): StayPoint {
  return { lat: s.lat, lng: s.lng, startMs: s.startMs, endMs: s.endMs, pointCount: s.count };
}

function kxAt(lat: number): number {
  return METRES_PER_DEGREE * Math.cos(lat * RAD);
}

/** Squared equirectangular distance in metres around (lat0, lng0): exact to well under a metre at these radii. */
function dist2(lat0: number, lng0: number, kx: number, lat1: number, lng1: number): number {
  let dLng = lng1 - lng0;
  if (dLng > 180) dLng -= 360;
  else if (dLng < -180) dLng += 360;
  const dx = dLng * kx;
  const dy = (lat1 - lat0) * METRES_PER_DEGREE;
  return dx * dx + dy * dy;
}

/** Great-circle distance in metres; for callers outside the hot loop (categories, tests). */
export function haversineMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}
