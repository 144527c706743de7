/**
 * Stay-point detection: the sliding-window method of Li et al. (2008) — a window holds the fixes after an anchor fix
 * that lie within `distanceMeters` of it; a window lasting `minDurationMs` is a stay at the centre of its fixes; a
 * window too short is dropped and the next fix becomes the anchor — reporting only what the fixes show:
 *
 * - Gaps. Time between two fixes of a stay is time at the place, however long. A stay needs two fixes of its own: a
 *   lone fix (one fix while driving, then a sampling gap) is never a stay. The gap after a stay's last fix, to the
 *   first fix outside it, adds `gap − distance(mean, that fix) / v` (at least 0; the mean of the window's fixes): the
 *   time left at the place had the person travelled there at v, the speed seen from that fix to the next one, no
 *   slower than `travelSpeedMps` (walking, 1.4 m/s) and no faster than MAX_PLAUSIBLE_SPEED_MPS. A departure to a fix
 *   kilometres away after half an hour adds nothing; an arrival followed by hours without fixes and a fix a few
 *   hundred metres away adds the hours less the trip.
 * - Radius. Every fix of a stay is within `distanceMeters` of its centre: a window that is not is no stay, a merge
 *   that would not be is refused. A window spans at most `distanceMeters` along a straight line (fixes are compared
 *   with its first, never taken back from before it), so a straight walk at u m/s fills one for `distanceMeters / u`
 *   plus what the gap to the next fix adds: at 100 m / 5 min, a walk of 0.5 m/s or faster yields no stay (a property
 *   test walks 0.5–1.0 m/s with a fix every 5 s and every 2 min). A window of three fixes or more in which every step
 *   from one fix to the next is at least half the radius is a walk passing through, not a stay (a stray fix on the
 *   path of a walk sampled every 2 min would otherwise anchor one): fixes at a place fall closer together now and
 *   then.
 * - Noise. Before the windows, GPS noise is set aside (noiseMask): a run of fixes spanning less than `minDurationMs`,
 *   all more than the radius from the fixes either side of it while those lie within the radius of each other and
 *   are at a place (each has one of the two fixes on its side within the radius: a fix passing by on a drive is no
 *   place to jitter around), that stays within twice the radius (jitter) or jumps out and back faster than
 *   MAX_PLAUSIBLE_SPEED_MPS (a burst no vehicle could make), and only when the place was seen around the run (from
 *   that fix before it to the fix before the run, from the fix after the run to its neighbour there) for at least as
 *   long as the run lasts: two stray fixes around the first minutes of a visit nearby do not make it jitter. Noise
 *   fixes are not fixes of any stay, neither counted nor averaged.
 * - Centre. The mean of a stay's fixes, each weighted by the time it stands for: until the next fix of the stay, the
 *   last one for the time the gap rule credits after it (each at least 1 ms, so fixes sharing a timestamp count).
 *   Walks to and from a place are sampled densely (the app fixes often when moving) and the place sparsely (wake-ups,
 *   a logger stopped on arrival), so a plain mean counts the 5 s fixes of a slow walk still within the radius against
 *   the three fixes of a silent visit and puts it 100 m off; weighted by time, it lies where the hours were spent.
 *   Evenly sampled, it is the plain mean. The trip of the departure credit is measured from the plain mean of the
 *   window, as the centre needs the credit. Depending only on the fixes and their times, it is order-independent.
 * - Merges. A stay window takes in the fixes just before it that lie within its radius (a stay entered through an
 *   approach fix starts at its first fix), and joins the previous stay only when nothing but noise lies between
 *   them: a trip observed elsewhere, however short, keeps two visits apart. An approach at the start of the earlier
 *   window or a departure at the end of the later one that would leave the merged radius is trimmed off (when it
 *   spans less than `minDurationMs`).
 *
 * The result depends only on the sorted points, so it is the same however they were uploaded. Cost: a fix that is
 * farther than the radius from the last fix within `minDurationMs` after it anchors no window (one comparison), so
 * moves cost O(1) a fix; a stay's fixes are read a few times; no allocation per point, one object per stay.
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
const MAX_PLAUSIBLE_SPEED_MPS = 80;

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

/**
 * A stay being built: its fixes in `[from, next)` (noise excluded), their dwell-weighted sums (see `dwell`), centre
 * and distance bound.
 */
interface Stay {
  from: number;
  next: number;
  latSum: number;
  lngSum: number;
  weight: number;
  count: number;
  /** Its last fix and the weight that fix has while it is last. */
  last: number;
  lastWeight: number;
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
  const lim: Limits = { d: distanceMeters, d2: distanceMeters * distanceMeters, minDurationMs, speed };
  checkSorted(t, from, to);
  const noise = noiseMask(cols, from, to, lim);
  const found: Found = { stays: [], pending: undefined };
  walk(cols, noise, from, to, lim, found);
  if (found.pending) found.stays.push(output(found.pending));
  return found.stays;
}

function checkSorted(t: Float64Array, from: number, to: number): void {
  for (let k = from + 1; k < to; k++) {
    if (!((t[k] as number) >= (t[k - 1] as number))) throw new RangeError(`points must be sorted by t (index ${k - from})`);
  }
}

/** The fixes of `[from, to)` in order, each window that is a stay joined to `found`. */
function walk(cols: PointColumns, noise: Uint8Array, from: number, to: number, lim: Limits, found: Found): void {
  const { t, lat, lng } = cols;
  const { d2, minDurationMs } = lim;
  let i = from;
  // The last fix less than the time threshold after fix i: a window reaching no further cannot be a stay, so a fix
  // i farther than the radius from it anchors none — a move costs one comparison per fix, not a window scan.
  // This loop only walks the fixes; what a window does is in `accept`, so the loop's compiled code never meets a
  // branch it has not seen (it would fall back to the interpreter on every new one).
  let q = from;
  while (i < to - 1) {
    const horizon = (t[i] as number) + minDurationMs;
    while (q + 1 < to && (t[q + 1] as number) < horizon) q++;
    while (q > i && noise[q - from] === 1) q--;
    const iLat = lat[i] as number;
    if (noise[i - from] === 1 || (q > i && !(dist2(iLat, lng[i] as number, kxAt(iLat), lat[q] as number, lng[q] as number) <= d2))) {
      i++;
      continue;
    }
    i = accept(cols, noise, from, i, to, lim, found);
  }
}

/** The stays reported so far and the last one, still open to a merge. */
interface Found {
  stays: StayPoint[];
  pending: Stay | undefined;
}

/** The window anchored at `i`, if it is a stay, joined to `found`; returns the next fix to look at. */
function accept(cols: PointColumns, noise: Uint8Array, from: number, i: number, to: number, lim: Limits, found: Found): number {
  const w = stayWindow(cols, noise, from, i, to, lim);
  if (!w) return i + 1;
  const pending = found.pending;
  const adjacent = extendBack(cols, noise, from, w, pending ? pending.next : from, lim) && pending !== undefined;
  if (pending && adjacent && merge(cols, noise, from, pending, w, lim)) return w.next;
  if (pending) found.stays.push(output(pending));
  found.pending = w;
  return w.next;
}

/**
 * Marks GPS noise: a run of fixes, spanning less than the time threshold, all more than the radius from the fixes on
 * either side of it, while those two lie within the radius of each other and each of one of the two fixes on its side
 * (for at least as long, together, as the run lasts); each fix of the run within twice the radius of the midpoint of
 * the fixes around the run (jitter) except while out on a burst: a jump out and a jump back, each faster than
 * MAX_PLAUSIBLE_SPEED_MPS. Each look-ahead stops within the time threshold, at once on a fix beyond three radii
 * reached at a plausible speed.
 */
function noiseMask(cols: PointColumns, from: number, to: number, lim: Limits): Uint8Array {
  const { t, lat, lng } = cols;
  const mask = new Uint8Array(to - from);
  let before = from;
  for (let k = from + 1; k < to - 2; k++) {
    const bLat = lat[before] as number;
    const bLng = lng[before] as number;
    const bKx = kxAt(bLat);
    if (dist2(bLat, bLng, bKx, lat[k] as number, lng[k] as number) <= lim.d2) {
      before = k;
      continue;
    }
    let e = k;
    let far = false;
    for (; e < to && (t[e] as number) - (t[k] as number) < lim.minDurationMs; e++) {
      const b2 = dist2(bLat, bLng, bKx, lat[e] as number, lng[e] as number);
      if (b2 <= lim.d2) break;
      const farNow = b2 > 9 * lim.d2;
      if (farNow && !far && !jumped(cols, e === k ? before : e - 1, e)) {
        e = to;
        break;
      }
      far = farNow;
    }
    const back =
      e < to && (t[e] as number) - (t[k] as number) < lim.minDurationMs && near(cols, bLat, bLng, bKx, e, to, lim.d2)
        ? near(cols, bLat, bLng, bKx, e + 1, to, lim.d2)
          ? e + 1
          : near(cols, bLat, bLng, bKx, e + 2, to, lim.d2)
            ? e + 2
            : -1
        : -1;
    const since = back < 0 ? -1 : settled(cols, mask, from, before, lim.d2);
    // The place must be seen around the run for at least as long as the run lasts: two stray fixes (a drive's last
    // one and a jitter fix) around the first minutes of a visit nearby are no place for that visit to be jitter of.
    const seen = since < 0 ? -1 : (t[before] as number) - (t[since] as number) + (t[back] as number) - (t[e] as number);
    if (since >= 0 && seen >= (t[e - 1] as number) - (t[k] as number) && isNoiseRun(cols, before, k, e, lim)) {
      mask.fill(1, k - from, e - from);
      k = e - 1;
    } else {
      before = k;
    }
  }
  return mask;
}

/**
 * Whether the fix `before` a candidate noise run is at a place, not passing through: one of the two fixes before it
 * (noise skipped) lies within the radius of it, as one of the two after the run must. Returns that fix, or -1.
 */
function settled(cols: PointColumns, mask: Uint8Array, from: number, before: number, d2: number): number {
  const bLat = cols.lat[before] as number;
  const bLng = cols.lng[before] as number;
  const bKx = kxAt(bLat);
  let m = before - 1;
  for (let seen = 0; m >= from && seen < 2; m--) {
    if (mask[m - from]) continue;
    if (dist2(bLat, bLng, bKx, cols.lat[m] as number, cols.lng[m] as number) <= d2) return m;
    seen++;
  }
  return -1;
}

/** The test of noiseMask for the run `[k, e)` between fixes `before` and `e`, both at the place. */
function isNoiseRun(cols: PointColumns, before: number, k: number, e: number, lim: Limits): boolean {
  const { lat, lng } = cols;
  const eLat = lat[e] as number;
  const eLng = lng[e] as number;
  const eKx = kxAt(eLat);
  const mLat = ((lat[before] as number) + eLat) / 2;
  const mLng = ((lng[before] as number) + eLng) / 2;
  const mKx = kxAt(mLat);
  let out = false;
  for (let m = k; m < e; m++) {
    if (dist2(eLat, eLng, eKx, lat[m] as number, lng[m] as number) <= lim.d2) return false;
    const outNow = dist2(mLat, mLng, mKx, lat[m] as number, lng[m] as number) > 4 * lim.d2;
    if (outNow !== out && !jumped(cols, m === k ? before : m - 1, m)) return false;
    out = outNow;
  }
  return !out || jumped(cols, e - 1, e);
}

/** Whether going from fix `a` to fix `b` took more than MAX_PLAUSIBLE_SPEED_MPS. */
function jumped(cols: PointColumns, a: number, b: number): boolean {
  const { t, lat, lng } = cols;
  const aLat = lat[a] as number;
  const metres = Math.sqrt(dist2(aLat, lng[a] as number, kxAt(aLat), lat[b] as number, lng[b] as number));
  return metres > (MAX_PLAUSIBLE_SPEED_MPS / 1000) * ((t[b] as number) - (t[a] as number));
}

/** Whether fix `m` (before `to`) lies within sqrt(d2) of the point given with its kx. */
function near(cols: PointColumns, lat0: number, lng0: number, kx: number, m: number, to: number, d2: number): boolean {
  return m < to && dist2(lat0, lng0, kx, cols.lat[m] as number, cols.lng[m] as number) <= d2;
}

/** The next fix at or after `k` that is not noise, or `to`. */
function nextFix(noise: Uint8Array, from: number, k: number, to: number): number {
  let j = k;
  while (j < to && noise[j - from]) j++;
  return j;
}

/**
 * The window anchored at `i` if it is a stay: two fixes or more, long enough with its credited gap, compact, and not
 * striding (every step half the radius or more).
 */
function stayWindow(cols: PointColumns, noise: Uint8Array, from: number, i: number, to: number, lim: Limits): Stay | undefined {
  const { t, lat, lng } = cols;
  const aLat = lat[i] as number;
  const aLng = lng[i] as number;
  const aKx = kxAt(aLat);
  let latSum = 0;
  let lngSum = 0;
  let weight = 0;
  let meanLat = aLat;
  let meanLng = aLng;
  let count = 1;
  let last = i;
  let j = i + 1;
  for (; j < to; j++) {
    if (noise[j - from]) continue;
    if (dist2(aLat, aLng, aKx, lat[j] as number, lng[j] as number) > lim.d2) break;
    const held = dwell(t, last, j);
    latSum += held * (lat[last] as number);
    lngSum += held * (lng[last] as number);
    weight += held;
    meanLat += lat[j] as number;
    meanLng += lng[j] as number;
    count++;
    last = j;
  }
  const startMs = t[i] as number;
  const lastMs = t[last] as number;
  if (count < 2 || (j < to ? (t[j] as number) : lastMs) - startMs < lim.minDurationMs) return undefined;
  // The trip the departure gap allows for is measured from the mean of the window's fixes: the centre is not known
  // before the credit is, the credit being the last fix's weight.
  meanLat /= count;
  meanLng /= count;
  const endMs = j < to ? lastMs + departureCredit(cols, noise, from, meanLat, meanLng, kxAt(meanLat), lastMs, j, to, lim) : lastMs;
  if (endMs - startMs < lim.minDurationMs) return undefined;
  const held = Math.max(1, endMs - lastMs);
  latSum += held * (lat[last] as number);
  lngSum += held * (lng[last] as number);
  weight += held;
  const cLat = latSum / weight;
  const cLng = lngSum / weight;
  const cKx = kxAt(cLat);
  let r2 = 0;
  // Whether every step from one fix of the window to the next is at least half the radius: fixes taken at a place
  // fall closer together than that now and then, a walk sampled every minute or two never does.
  let striding = count >= 3;
  let prev = i;
  for (let k = i; k <= last; k++) {
    if (noise[k - from]) continue;
    r2 = Math.max(r2, dist2(cLat, cLng, cKx, lat[k] as number, lng[k] as number));
    if (k > i) {
      const pLat = lat[prev] as number;
      striding = striding && dist2(pLat, lng[prev] as number, kxAt(pLat), lat[k] as number, lng[k] as number) >= lim.d2 / 4;
      prev = k;
    }
  }
  if (r2 > lim.d2 || striding) return undefined;
  const radius = Math.sqrt(r2);
  return { from: i, next: j, latSum, lngSum, weight, count, last, lastWeight: held, startMs, endMs, lat: cLat, lng: cLng, kx: cKx, radius };
}

/**
 * The time fix `a` stands for in a stay whose next fix is `b`: until that fix, at least 1 ms (so that fixes sharing a
 * timestamp still count). A stay's last fix stands for the time credited after it, at least 1 ms.
 */
function dwell(t: Float64Array, a: number, b: number): number {
  return Math.max(1, (t[b] as number) - (t[a] as number));
}

/**
 * What the gap from a stay's last fix (at `lastMs`) to the next fix `j`, outside it, adds to the stay: the gap less the
 * trip to `j` at the speed seen leaving `j` (to the fix after it), no slower than `lim.speed`, no faster than any vehicle.
 */
function departureCredit(
  cols: PointColumns,
  noise: Uint8Array,
  from: number,
  cLat: number,
  cLng: number,
  cKx: number,
  lastMs: number,
  j: number,
  to: number,
  lim: Limits,
): number {
  const { t, lat, lng } = cols;
  const jLat = lat[j] as number;
  const jLng = lng[j] as number;
  let v = lim.speed;
  const k = nextFix(noise, from, j + 1, to);
  if (k < to && (t[k] as number) > (t[j] as number)) {
    const seen = Math.sqrt(dist2(jLat, jLng, kxAt(jLat), lat[k] as number, lng[k] as number)) / (((t[k] as number) - (t[j] as number)) / 1000);
    v = Math.min(MAX_PLAUSIBLE_SPEED_MPS, Math.max(v, seen));
  }
  const trip = (Math.sqrt(dist2(cLat, cLng, cKx, jLat, jLng)) / v) * 1000;
  return Math.max(0, (t[j] as number) - lastMs - trip);
}

/**
 * Takes into `w` the fixes before it, back to `lo`, that lie within its radius; returns whether it got back to `lo`
 * (then no fix away from the place separates `w` from the stay ending at `lo`).
 */
function extendBack(cols: PointColumns, noise: Uint8Array, from: number, w: Stay, lo: number, lim: Limits): boolean {
  const { t, lat, lng } = cols;
  let first = w.from;
  let latSum = w.latSum;
  let lngSum = w.lngSum;
  let weight = w.weight;
  let count = w.count;
  let k = w.from - 1;
  for (; k >= lo; k--) {
    if (noise[k - from]) continue;
    if (dist2(w.lat, w.lng, w.kx, lat[k] as number, lng[k] as number) > lim.d2) break;
    const held = dwell(t, k, first);
    latSum += held * (lat[k] as number);
    lngSum += held * (lng[k] as number);
    weight += held;
    count++;
    first = k;
  }
  if (first < w.from) {
    const cLat = latSum / weight;
    const cLng = lngSum / weight;
    const cKx = kxAt(cLat);
    let radius = w.radius + Math.sqrt(dist2(w.lat, w.lng, w.kx, cLat, cLng));
    for (let m = first; m < w.from; m++) {
      if (!noise[m - from]) radius = Math.max(radius, Math.sqrt(dist2(cLat, cLng, cKx, lat[m] as number, lng[m] as number)));
    }
    // The bound from the window's radius and the centre's shift is loose when a heavy fix moved the centre: measure.
    if (radius > lim.d) radius = radiusOf(cols, noise, from, first, w.next, cLat, cLng, cKx);
    if (radius > lim.d) return false;
    Object.assign(w, { from: first, latSum, lngSum, weight, count, startMs: t[first] as number, lat: cLat, lng: cLng, kx: cKx, radius });
  }
  return k < lo;
}

/**
 * Merges `w` into `p`, adjacent to it, when their centres are within the radius and every fix ends within it of the
 * merged centre; fixes at the start of `p` (an approach) or the end of `w` (a departure) that would not are dropped.
 */
function merge(cols: PointColumns, noise: Uint8Array, from: number, p: Stay, w: Stay, lim: Limits): boolean {
  if (dist2(p.lat, p.lng, p.kx, w.lat, w.lng) > lim.d2) return false;
  const { t, lat, lng } = cols;
  // `p`'s last fix now stands for the time until `w`'s first one.
  const held = dwell(t, p.last, w.from) - p.lastWeight;
  let sums: Sums = {
    latSum: p.latSum + w.latSum + held * (lat[p.last] as number),
    lngSum: p.lngSum + w.lngSum + held * (lng[p.last] as number),
    weight: p.weight + w.weight + held,
    count: p.count + w.count,
    last: w.last,
    lastWeight: w.lastWeight,
  };
  let cLat = sums.latSum / sums.weight;
  let cLng = sums.lngSum / sums.weight;
  let cKx = kxAt(cLat);
  let first = p.from;
  let radius = Math.max(p.radius + Math.sqrt(dist2(cLat, cLng, cKx, p.lat, p.lng)), w.radius + Math.sqrt(dist2(cLat, cLng, cKx, w.lat, w.lng)));
  // The slow path, rare: an approach walk at the start of `p` and a departure walk at the end of `w` lie on opposite
  // sides. Trim both (fixes of `p` up to its last one too far, of `w` from its first one too far), as long as what
  // is trimmed spans less than the time threshold, until no fix is too far.
  let end = w.endMs;
  let stop = w.next;
  for (let round = 0; radius > lim.d; round++) {
    let lastFar = -1;
    let firstFar = stop;
    let r2 = 0;
    for (let m = first; m < stop; m++) {
      if (noise[m - from]) continue;
      const m2 = dist2(cLat, cLng, cKx, lat[m] as number, lng[m] as number);
      if (m2 <= lim.d2) r2 = Math.max(r2, m2);
      else if (m < p.next) lastFar = m;
      else if (firstFar === stop) firstFar = m;
    }
    if (lastFar < 0 && firstFar === stop) {
      radius = Math.sqrt(r2);
      break;
    }
    if (round === 3 || lastFar + 1 >= p.next || firstFar <= w.from) return false;
    // Each side is trimmed only when it has a fix too far; `firstFar === stop` (none in `w`) may be the end of the
    // range, and what lies there belongs to another user when the columns are shared.
    if (lastFar >= 0 && (t[lastFar] as number) - (t[first] as number) >= lim.minDurationMs) return false;
    if (firstFar < stop && (t[stop - 1] as number) - (t[firstFar] as number) >= lim.minDurationMs) return false;
    if (lastFar >= 0) first = nextFix(noise, from, lastFar + 1, p.next);
    if (firstFar < stop) {
      let last = firstFar - 1;
      while (noise[last - from]) last--;
      end = t[last] as number;
      stop = last + 1;
    }
    sums = weigh(cols, noise, from, first, stop, end);
    cLat = sums.latSum / sums.weight;
    cLng = sums.lngSum / sums.weight;
    cKx = kxAt(cLat);
  }
  Object.assign(p, { ...sums, from: first, next: stop, startMs: t[first] as number, endMs: end, lat: cLat, lng: cLng, kx: cKx, radius });
  return true;
}

/** The largest distance of a fix in `[first, stop)` (noise skipped) from the given centre, metres. */
function radiusOf(cols: PointColumns, noise: Uint8Array, from: number, first: number, stop: number, cLat: number, cLng: number, cKx: number): number {
  let r2 = 0;
  for (let m = first; m < stop; m++) {
    if (!noise[m - from]) r2 = Math.max(r2, dist2(cLat, cLng, cKx, cols.lat[m] as number, cols.lng[m] as number));
  }
  return Math.sqrt(r2);
}

type Sums = Pick<Stay, "latSum" | "lngSum" | "weight" | "count" | "last" | "lastWeight">;

/** The dwell-weighted sums of the fixes in `[first, stop)`, noise skipped, of a stay ending at `endMs`. */
function weigh(cols: PointColumns, noise: Uint8Array, from: number, first: number, stop: number, endMs: number): Sums {
  const { t, lat, lng } = cols;
  const sums: Sums = { latSum: 0, lngSum: 0, weight: 0, count: 1, last: first, lastWeight: 0 };
  for (let m = first + 1; m < stop; m++) {
    if (noise[m - from]) continue;
    const held = dwell(t, sums.last, m);
    sums.latSum += held * (lat[sums.last] as number);
    sums.lngSum += held * (lng[sums.last] as number);
    sums.weight += held;
    sums.count++;
    sums.last = m;
  }
  sums.lastWeight = Math.max(1, endMs - (t[sums.last] as number));
  sums.latSum += sums.lastWeight * (lat[sums.last] as number);
  sums.lngSum += sums.lastWeight * (lng[sums.last] as number);
  sums.weight += sums.lastWeight;
  return sums;
}

function output(s: Stay): StayPoint {
  return { lat: s.lat, lng: s.lng, startMs: s.startMs, endMs: s.endMs, pointCount: s.count };
}

/**
 * Metres per degree of longitude at `lat`, from the cosine at `lat` rounded to 0.01° (under 1e-4 relative error,
 * a centimetre at these radii): a pure function of `lat`, computed once per band.
 */
function kxAt(lat: number): number {
  const band = Math.round(lat * 100);
  if (band !== kxCache[0]) {
    kxCache[0] = band;
    kxCache[1] = METRES_PER_DEGREE * Math.cos(band * 0.01 * RAD);
  }
  return kxCache[1] as number;
}
/** The last band and its kx; in a typed array, so that updating them allocates nothing (a module variable would). */
const kxCache = new Float64Array([Number.NaN, 0]);

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
