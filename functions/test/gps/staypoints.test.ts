import { strict as assert } from "node:assert";
import fc from "fast-check";
import { mergePoints } from "../../src/gps/points";
import {
  DEFAULT_TRAVEL_SPEED_MPS,
  type GpsPoint,
  type StayPoint,
  detectStayPoints,
  detectStayPointsColumns,
  haversineMeters,
  toColumns,
} from "../../src/gps/staypoints";
import { makeTrack, offset } from "./tracks";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 16, 0, 0, 0);
const OPTS = { distanceMeters: 100, minDurationMs: 5 * MIN };

describe("detectStayPoints", () => {
  it("returns nothing for an empty track and for a single point, even with no minimum duration", () => {
    assert.deepEqual(detectStayPoints([], OPTS), []);
    assert.deepEqual(detectStayPoints([{ t: T0, lat: 37.5, lng: 127 }], OPTS), []);
    assert.deepEqual(detectStayPoints([{ t: T0, lat: 37.5, lng: 127 }], { ...OPTS, minDurationMs: 0 }), []);
    assert.deepEqual(detectStayPoints([{ t: T0, lat: 37.5, lng: 127 }, { t: T0, lat: 37.5, lng: 127 }], { ...OPTS, minDurationMs: 0 }), [
      { lat: 37.5, lng: 127, startMs: T0, endMs: T0, pointCount: 2 },
    ]);
  });

  it("finds each known stay once, at its place, from its first fix to its last (the next fix is a drive away)", () => {
    const track = makeTrack({ seed: 7, startMs: T0, stays: [{ minutes: 40 }, { minutes: 12 }, { minutes: 90 }, { minutes: 6 }] });
    const stays = detectStayPoints(track.points, OPTS);
    assert.equal(stays.length, track.stays.length);
    stays.forEach((stay, i) => {
      const truth = track.stays[i]!;
      assert.ok(haversineMeters(stay.lat, stay.lng, truth.lat, truth.lng) < 15, `stay ${i} centroid`);
      assert.equal(stay.startMs, truth.startMs);
      assert.equal(stay.endMs, truth.endMs);
    });
    assert.equal(stays.reduce((n, s) => n + s.pointCount, 0), track.stays.reduce((n, s) => n + (s.endMs - s.startMs) / 30_000 + 1, 0));
  });

  it("ignores stays shorter than the minimum duration", () => {
    const track = makeTrack({ seed: 3, startMs: T0, stays: [{ minutes: 3 }, { minutes: 20 }, { minutes: 2 }] });
    const stays = detectStayPoints(track.points, OPTS);
    assert.equal(stays.length, 1);
    assert.equal(stays[0]!.startMs, track.stays[1]!.startMs);
  });

  it("does not turn a lone fix before a sampling gap into a stay, however long the gap", () => {
    const a = { lat: 37.5, lng: 127 };
    const far = offset(a.lat, a.lng, 20_000, 0);
    const points: GpsPoint[] = [
      { t: T0, ...offset(a.lat, a.lng, -2_000, 0) },
      { t: T0 + 1 * MIN, ...a },
      { t: T0 + 181 * MIN, ...far },
      { t: T0 + 182 * MIN, ...offset(far.lat, far.lng, 1_000, 0) },
    ];
    assert.deepEqual(detectStayPoints(points, OPTS), []);
    for (const gap of [5, 30, 40]) {
      const sparse = points.map((p, i) => (i >= 2 ? { ...p, t: p.t - (180 - gap) * MIN } : p));
      assert.deepEqual(detectStayPoints(sparse, OPTS), [], `gap ${gap} min`);
    }
  });

  it("credits a departure gap only as far as walking to the next fix allows", () => {
    const a = { lat: 37.5, lng: 127 };
    const arrival: GpsPoint[] = [0, 1, 2].map((m) => ({ t: T0 + m * MIN, ...offset(a.lat, a.lng, m * 5, 0) }));
    const after = (minutes: number, metres: number): GpsPoint[] => [...arrival, { t: T0 + (2 + minutes) * MIN, ...offset(a.lat, a.lng, metres, 0) }];
    const walkMs = (metres: number): number => (metres / DEFAULT_TRAVEL_SPEED_MPS) * 1000;
    // The logger stopped on arrival; hours later the next fix is a few hundred metres away: the hours less the walk.
    const [home] = detectStayPoints(after(300, 305), OPTS);
    assert.equal(home!.startMs, T0);
    assert.ok(Math.abs(home!.endMs - (T0 + 302 * MIN - walkMs(300))) < 1_000);
    assert.equal(home!.pointCount, 3);
    // Kilometres away after half an hour: the walk alone takes longer than the gap, nothing is credited.
    assert.deepEqual(detectStayPoints(after(30, 5_000), OPTS), []);
    assert.equal(detectStayPoints(after(30, 5_000), { ...OPTS, minDurationMs: MIN })[0]!.endMs, T0 + 2 * MIN);
    assert.equal(detectStayPoints(after(30, 1_000), { ...OPTS, travelSpeedMps: 5 }).length, 1);
  });

  it("counts a long gap between two fixes at the same place as time there", () => {
    const a = { lat: 37.5, lng: 127 };
    const points = [{ t: T0, ...a }, { t: T0 + 300 * MIN, ...offset(a.lat, a.lng, 10, 0) }];
    const stays = detectStayPoints(points, OPTS);
    assert.equal(stays.length, 1);
    assert.equal(stays[0]!.endMs - stays[0]!.startMs, 300 * MIN);
  });

  it("does not split a stay whose anchor was taken on the approach", () => {
    const place = { lat: 37.5, lng: 127 };
    const points: GpsPoint[] = [{ t: T0, ...offset(place.lat, place.lng, -400, 0) }, { t: T0 + 0.5 * MIN, ...offset(place.lat, place.lng, -85, 0) }];
    // At the place the fixes alternate 40 m either side of it: half of them are 125 m from the approach anchor.
    for (let i = 1; i <= 60; i++) points.push({ t: T0 + (0.5 + i) * MIN, ...offset(place.lat, place.lng, i % 2 ? -40 : 40, 0) });
    points.push({ t: T0 + 61 * MIN, ...offset(place.lat, place.lng, 600, 0) });
    const stays = detectStayPoints(points, { ...OPTS, minDurationMs: MIN });
    assert.equal(stays.length, 1);
    assert.equal(stays[0]!.startMs, T0 + 0.5 * MIN);
    assert.equal(stays[0]!.endMs, T0 + 60.5 * MIN);
    assert.equal(stays[0]!.pointCount, 61);
    assert.ok(haversineMeters(stays[0]!.lat, stays[0]!.lng, place.lat, place.lng) < 5);
  });

  it("keeps one stay through jitter larger than the radius, but not through a real excursion", () => {
    const place = { lat: 37.5, lng: 127 };
    const points: GpsPoint[] = [];
    for (let i = 0; i < 120; i++) {
      const outlier = i % 17 === 5 ? 150 : i % 2 ? -30 : 30;
      points.push({ t: T0 + i * MIN, ...offset(place.lat, place.lng, outlier, 0) });
    }
    assert.equal(detectStayPoints(points, OPTS).length, 1);
    const errand = points.map((p, i) => (i >= 50 && i < 70 ? { ...p, ...offset(place.lat, place.lng, 2_000, 0) } : p));
    assert.equal(detectStayPoints(errand, OPTS).length, 3);
  });

  it("handles points sharing a timestamp and refuses unsorted input and bad options", () => {
    const p = { lat: 37.5, lng: 127 };
    assert.equal(detectStayPoints([{ t: T0, ...p }, { t: T0, ...p }, { t: T0 + 10 * MIN, ...p }], OPTS)[0]!.pointCount, 3);
    assert.throws(() => detectStayPoints([{ t: T0 + 1, ...p }, { t: T0, ...p }], OPTS), RangeError);
    assert.throws(() => detectStayPoints([], { ...OPTS, distanceMeters: 0 }), RangeError);
    assert.throws(() => detectStayPoints([], { ...OPTS, minDurationMs: Number.NaN }), RangeError);
  });

  it("works on a slice of columns without copying", () => {
    const track = makeTrack({ seed: 11, startMs: T0, stays: [{ minutes: 30 }, { minutes: 30 }] });
    const cols = toColumns([{ t: 0, lat: 0, lng: 0 }, ...track.points, { t: 0, lat: 0, lng: 0 }]);
    assert.deepEqual(detectStayPointsColumns(cols, OPTS, 1, track.points.length + 1), detectStayPoints(track.points, OPTS));
  });

  describe("properties", () => {
    const trackArb = fc.record({
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
      stays: fc.array(fc.record({ minutes: fc.integer({ min: 6, max: 300 }) }), { minLength: 1, maxLength: 6 }),
      jitterM: fc.integer({ min: 0, max: 45 }),
      sampleMs: fc.constantFrom(10_000, 30_000, 60_000),
    });

    it("finds every known stay of a synthetic day exactly once", () => {
      fc.assert(
        fc.property(trackArb, (spec) => {
          const track = makeTrack({ ...spec, startMs: T0 });
          const stays = detectStayPoints(track.points, OPTS);
          assert.equal(stays.length, track.stays.length);
          stays.forEach((stay, i) => {
            const truth = track.stays[i]!;
            assert.ok(haversineMeters(stay.lat, stay.lng, truth.lat, truth.lng) < 50);
            assert.ok(Math.abs(stay.startMs - truth.startMs) <= 2 * spec.sampleMs);
            assert.ok(Math.abs(stay.endMs - truth.endMs) <= 2 * spec.sampleMs);
          });
        }),
        { numRuns: 150 },
      );
    });

    it("returns ordered, disjoint stays of at least the minimum duration inside the points' bounds", () => {
      const pointsArb = fc
        .array(
          fc.record({
            dt: fc.integer({ min: 0, max: 90 * MIN }),
            lat: fc.double({ min: 37.49, max: 37.51, noNaN: true }),
            lng: fc.double({ min: 126.99, max: 127.01, noNaN: true }),
          }),
          { maxLength: 200 },
        )
        .map((raw) => {
          let t = T0;
          return raw.map((r) => ({ t: (t += r.dt), lat: r.lat, lng: r.lng }));
        });
      fc.assert(
        fc.property(pointsArb, fc.integer({ min: 10, max: 500 }), fc.integer({ min: 0, max: 60 }), (points, d, minutes) => {
          const opts = { distanceMeters: d, minDurationMs: minutes * MIN };
          const stays: StayPoint[] = detectStayPoints(points, opts);
          let prevEnd = -Infinity;
          let total = 0;
          for (const s of stays) {
            assert.ok(s.startMs >= prevEnd && s.endMs >= s.startMs);
            assert.ok(s.endMs - s.startMs >= opts.minDurationMs);
            assert.ok(s.lat >= 37.49 - 1e-9 && s.lat <= 37.51 + 1e-9 && s.lng >= 126.99 - 1e-9 && s.lng <= 127.01 + 1e-9);
            prevEnd = s.endMs;
            total += s.pointCount;
          }
          assert.ok(total <= points.length);
        }),
        { numRuns: 300 },
      );
    });

    it("gives the same stays however the track was split into uploads, ordered and retried", () => {
      fc.assert(
        fc.property(
          trackArb,
          fc.array(fc.nat(), { maxLength: 400 }),
          fc.array(fc.nat(), { maxLength: 40 }),
          (spec, cuts, retries) => {
            const track = makeTrack({ ...spec, startMs: T0 });
            const whole = detectStayPoints(track.points, OPTS);
            const uploads: GpsPoint[][] = [];
            let rest = track.points.slice();
            for (const cut of cuts) {
              if (rest.length === 0) break;
              const size = 1 + (cut % Math.max(1, Math.ceil(rest.length / 3)));
              uploads.push(rest.slice(0, size));
              rest = rest.slice(size);
            }
            if (rest.length) uploads.push(rest);
            for (const r of retries) uploads.push(uploads[r % uploads.length]!);
            uploads.reverse();
            let stored: GpsPoint[] = [];
            for (const u of uploads) stored = mergePoints(stored, u.slice().reverse());
            assert.deepEqual(detectStayPoints(stored, OPTS), whole);
          },
        ),
        { numRuns: 100 },
      );
    });
  });
});
