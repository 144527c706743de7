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
import { makeTrack, mulberry32, offset, scenarioTrack } from "./tracks";

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

  it("keeps two visits to a place apart when a short trip away was observed in between", () => {
    const home = { lat: 37.5, lng: 127 };
    const shop = offset(home.lat, home.lng, 2_400, 0);
    const points: GpsPoint[] = [];
    let t = T0;
    const stayAt = (loc: { lat: number; lng: number }, minutes: number): void => {
      for (const end = t + minutes * MIN; t < end; t += 30_000) points.push({ t, ...offset(loc.lat, loc.lng, ((t / 30_000) % 5) * 4, 0) });
    };
    stayAt(home, 40);
    stayAt(shop, 21);
    stayAt(home, 40);
    const at30 = detectStayPoints(points, { ...OPTS, minDurationMs: 30 * MIN });
    assert.deepEqual(at30.map((s) => [s.startMs, s.pointCount]), [[T0, 80], [T0 + 61 * MIN, 80]]);
    assert.equal(detectStayPoints(points, OPTS).length, 3);
  });

  it("drops GPS bursts and lone jitter fixes from a stay without splitting it", () => {
    const place = { lat: 37.5, lng: 127 };
    const points: GpsPoint[] = [];
    for (let i = 0; i < 240; i++) {
      const t = T0 + i * 30_000;
      if (i % 40 === 10) points.push({ t, ...offset(place.lat, place.lng, 5_000 + i, 0) });
      else if (i % 40 === 11 || i % 40 === 12) points.push({ t, ...offset(place.lat, place.lng, 5_030 + i, 0) });
      else if (i % 40 === 30) points.push({ t, ...offset(place.lat, place.lng, 0, 170) });
      else points.push({ t, ...offset(place.lat, place.lng, (i % 3) * 10, 0) });
    }
    const stays = detectStayPoints(points, OPTS);
    assert.equal(stays.length, 1);
    assert.equal(stays[0]!.pointCount, 240 - 6 * 4);
    assert.ok(haversineMeters(stays[0]!.lat, stays[0]!.lng, place.lat, place.lng) < 15);
  });

  it("does not set a short visit 120–240 m away aside as jitter when the fix before it was passing through", () => {
    // Seeds fast-check found for the scenario property below: a drive's last fix (or a slow walk's) passes a spot,
    // the person spends 3–4 minutes at a place 160–240 m away, then leaves past the spot again. The fix before the
    // visit has no neighbour within the radius, so it was no place the visit could be jitter around.
    const place = { lat: 37.5, lng: 127 };
    const visit = offset(place.lat, place.lng, 0, 190);
    const points: GpsPoint[] = [-1, -0.5, 0].map((m) => ({ t: T0 + m * MIN, ...offset(place.lat, place.lng, 0, -(50 - 500 * m)) }));
    for (let m = 0.5; m <= 3; m += 0.5) points.push({ t: T0 + m * MIN, ...offset(visit.lat, visit.lng, (m * 10) % 7, 0) });
    for (let m = 5.25; m <= 12; m += 0.5) points.push({ t: T0 + m * MIN, ...offset(place.lat, place.lng, 0, 40 - (m - 5.25) * 84) });
    assert.deepEqual(detectStayPoints(points, OPTS), []);
    for (const seed of [618_719_633, 1_357, 2_137]) {
      const scenario = scenarioTrack(seed, T0, 2_000);
      for (const s of detectStayPoints(scenario.points, OPTS)) {
        const real = scenario.visits.some((v) => v.startMs <= s.endMs && v.endMs >= s.startMs && haversineMeters(s.lat, s.lng, v.lat, v.lng) <= 100);
        assert.ok(real, `seed ${seed}: invented stay ${JSON.stringify(s)}`);
      }
    }
  });

  it("finds no stay in a walk sampled every 2 min that passes a stray fix of the visit before it", () => {
    // Seeds the scenario property found: the visit's last fix is a jitter outlier 150 m out, on the path of a walk at
    // 0.5–0.7 m/s that starts there; with the walk's next two or three fixes, 80–95 m apart, it spanned 5 min.
    for (const seed of [3_919, 3_956]) {
      const scenario = scenarioTrack(seed, T0, 2_000);
      for (const s of detectStayPoints(scenario.points, OPTS)) {
        const real = scenario.visits.some((v) => v.startMs <= s.endMs && v.endMs >= s.startMs && haversineMeters(s.lat, s.lng, v.lat, v.lng) <= 100);
        assert.ok(real, `seed ${seed}: invented stay ${JSON.stringify(s)}`);
      }
    }
    const place = { lat: 37.5, lng: 127 };
    const walk: GpsPoint[] = [{ t: T0, ...offset(place.lat, place.lng, 10, 0) }];
    for (let k = 0; k < 4; k++) walk.push({ t: T0 + (2.4 + 2 * k) * MIN, ...offset(place.lat, place.lng, -80 + 82 * k, 0) });
    assert.deepEqual(detectStayPoints(walk, OPTS), []);
  });

  it("does not set the first minutes of a visit aside as jitter around two stray fixes that bracket them", () => {
    // The seed the scenario property found: a drive's last fixes pass 110 m from where the person then stays; 4 min
    // later a jitter fix of the visit lands beside them. The place around the visit's first 4 min was seen for 11 s.
    const scenario = scenarioTrack(37_376, T0, 2_000);
    for (const s of detectStayPoints(scenario.points, OPTS)) {
      const real = scenario.visits.some((v) => v.startMs <= s.endMs && v.endMs >= s.startMs && haversineMeters(s.lat, s.lng, v.lat, v.lng) <= 100);
      assert.ok(real, `invented stay ${JSON.stringify(s)}`);
    }
  });

  it("puts a silent visit at its place, not between the walks to and from it", () => {
    // A logger that stopped on arrival: three fixes, five hours without one, then a slow walk away sampled every 5 s.
    // The walks' fixes within the radius outnumber the visit's, but stand for seconds each against its hours.
    const place = { lat: 37.5, lng: 127 };
    const points: GpsPoint[] = [];
    for (let s = 0; s <= 180; s += 5) points.push({ t: T0 + s * 1_000, ...offset(place.lat, place.lng, -144 + s * 0.8, 0) });
    for (let k = 1; k <= 3; k++) points.push({ t: T0 + (180 + 30 * k) * 1_000, ...offset(place.lat, place.lng, 3 * k, 0) });
    const leave = T0 + 300 * MIN;
    for (let s = 90; s <= 400; s += 5) points.push({ t: leave + s * 1_000, ...offset(place.lat, place.lng, 0, s * 0.8) });
    for (const minutes of [5, 30]) {
      const stays = detectStayPoints(points, { ...OPTS, minDurationMs: minutes * MIN });
      assert.equal(stays.length, 1, `${minutes} min`);
      assert.ok(haversineMeters(stays[0]!.lat, stays[0]!.lng, place.lat, place.lng) < 15, `${minutes} min: ${JSON.stringify(stays[0])}`);
      assert.ok(stays[0]!.startMs <= T0 + 210_000 && stays[0]!.endMs >= leave, `${minutes} min`);
    }
    // Seeds the scenario property found: the same pattern put the centre 101–103 m from the place.
    for (const seed of [99_528, 116_801, 166_040, 175_482]) {
      const scenario = scenarioTrack(seed, T0, 2_000);
      for (const minutes of [5, 30]) {
        for (const s of detectStayPoints(scenario.points, { ...OPTS, minDurationMs: minutes * MIN })) {
          const real = scenario.visits.some((v) => v.startMs <= s.endMs && v.endMs >= s.startMs && haversineMeters(s.lat, s.lng, v.lat, v.lng) <= 100);
          assert.ok(real, `seed ${seed}, ${minutes} min: invented stay ${JSON.stringify(s)}`);
        }
      }
    }
  });

  describe("properties", () => {
    const trackArb = fc.record({
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
      stays: fc.array(fc.record({ minutes: fc.integer({ min: 6, max: 300 }) }), { minLength: 1, maxLength: 6 }),
      jitterM: fc.integer({ min: 0, max: 45 }),
      sampleMs: fc.constantFrom(10_000, 30_000, 60_000),
    });

    it("finds on a slice of larger columns what it finds on the slice alone, whatever fixes lie around it", () => {
      // The CLI reuses one set of columns for every user: what is beyond a user's rows is stale or another user's.
      const around = fc.constantFrom("zeros", "stale", "other user");
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 50, max: 600 }), around, fc.integer({ min: 0, max: 3 }), (seed, rows, fill, before) => {
          const points = scenarioTrack(seed, T0, rows).points.slice(0, rows);
          const other = scenarioTrack(seed + 1, T0 + 1_000, 2 * rows).points;
          const pad = (k: number): GpsPoint =>
            fill === "zeros" ? { t: 0, lat: 0, lng: 0 } : fill === "stale" ? points[k % points.length]! : other[k % other.length]!;
          const padded = [...Array.from({ length: before }, (_, k) => pad(k)), ...points, ...Array.from({ length: 8 }, (_, k) => pad(k))];
          const cols = toColumns(padded);
          assert.deepEqual(detectStayPointsColumns(cols, OPTS, before, before + points.length), detectStayPoints(points, OPTS));
        }),
        // The example is the last user of a CLI run that reported a stay twice, split where the columns ended.
        { numRuns: 300, examples: [[1_043_296_851, 400, "zeros", 0]] },
      );
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
            // Every fix of the stay is within the radius of its centre (the others in its span are noise).
            const inSpan = points.filter((p) => p.t >= s.startMs && p.t <= s.endMs);
            assert.ok(inSpan.filter((p) => haversineMeters(p.lat, p.lng, s.lat, s.lng) <= d + 0.5).length >= s.pointCount);
            assert.ok(s.pointCount >= 2);
          }
          assert.ok(total <= points.length);
        }),
        { numRuns: 300 },
      );
    });

    it("finds no stay on a slow straight walk at 0.5–1.0 m/s, sampled every 5 s or every 2 min", () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0.5, max: 1.0, noNaN: true }),
          fc.constantFrom(5_000, 120_000),
          fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
          fc.integer({ min: 300, max: 3_000 }),
          fc.integer({ min: 0, max: 5 }),
          fc.integer({ min: 1, max: 2 ** 30 }),
          (speed, period, heading, metres, jitterM, seed) => {
            const rnd = mulberry32(seed);
            const start = { lat: 37.5, lng: 127 };
            const points: GpsPoint[] = [];
            for (let t = 0; t * speed <= metres * 1000; t += period) {
              const d = (t / 1000) * speed;
              const p = offset(start.lat, start.lng, d * Math.cos(heading) + jitterM * (rnd() - 0.5), d * Math.sin(heading) + jitterM * (rnd() - 0.5));
              points.push({ t: T0 + t, ...p });
            }
            assert.deepEqual(detectStayPoints(points, OPTS), []);
          },
        ),
        { numRuns: 200 },
      );
    });

    it("finds no stay in a drive broken by a 5–30 min sampling gap, with or without a lone fix in it", () => {
      fc.assert(
        fc.property(
          fc.double({ min: 8, max: 20, noNaN: true }),
          fc.integer({ min: 5, max: 30 }),
          fc.option(fc.double({ min: 0.1, max: 0.9, noNaN: true })),
          (speed, gapMin, lone) => {
            const start = { lat: 37.5, lng: 127 };
            const points: GpsPoint[] = [];
            const total = (gapMin + 20) * MIN;
            const gapFrom = 10 * MIN;
            const gapTo = gapFrom + gapMin * MIN;
            const at = (t: number): GpsPoint => ({ t: T0 + t, ...offset(start.lat, start.lng, (t / 1000) * speed, 0) });
            for (let t = 0; t < total; t += 30_000) if (t < gapFrom || t >= gapTo) points.push(at(t));
            if (lone !== null) points.push(at(Math.round(gapFrom + lone * gapMin * MIN)));
            points.sort((a, b) => a.t - b.t);
            assert.deepEqual(detectStayPoints(points, OPTS), []);
          },
        ),
        { numRuns: 100 },
      );
    });

    it("credits the hours after an arrival whose logger stopped, less the walk to the next fix", () => {
      fc.assert(
        fc.property(fc.integer({ min: 60, max: 600 }), fc.integer({ min: 150, max: 600 }), (gapMin, metres) => {
          const place = { lat: 37.5, lng: 127 };
          const points: GpsPoint[] = [0, 1, 2].map((i) => ({ t: T0 + i * 30_000, ...offset(place.lat, place.lng, i * 3, 0) }));
          const next = T0 + MIN + gapMin * MIN;
          points.push({ t: next, ...offset(place.lat, place.lng, metres, 0) }, { t: next + 30_000, ...offset(place.lat, place.lng, metres + 40, 0) });
          const stays = detectStayPoints(points, OPTS);
          assert.equal(stays.length, 1);
          const walk = ((metres - 3) / DEFAULT_TRAVEL_SPEED_MPS) * 1000;
          assert.ok(Math.abs(stays[0]!.endMs - (next - walk)) < 1_000);
        }),
        { numRuns: 100 },
      );
    });

    it("invents no stay on tracks with every failure pattern, the app's sampling included", () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.constantFrom(5, 30), (seed, minutes) => {
          const scenario = scenarioTrack(seed, T0, 2_000);
          const opts = { distanceMeters: 100, minDurationMs: minutes * MIN };
          for (const s of detectStayPoints(scenario.points, opts)) {
            const real = scenario.visits.some((v) => v.startMs <= s.endMs && v.endMs >= s.startMs && haversineMeters(s.lat, s.lng, v.lat, v.lng) <= 100);
            assert.ok(real, `invented stay ${JSON.stringify(s)}`);
          }
        }),
        { numRuns: 100 },
      );
    });

    it("gives the same stays however the track was split into uploads, ordered and retried", () => {
      fc.assert(
        fc.property(
          trackArb,
          fc.array(fc.nat(), { maxLength: 400 }),
          fc.array(fc.nat(), { maxLength: 40 }),
          (spec, cuts, retries) => {
            const track = spec.seed % 2 ? makeTrack({ ...spec, startMs: T0 }) : scenarioTrack(spec.seed, T0, 800);
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
