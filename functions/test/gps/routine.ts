import { seoulDayStart } from "../../src/core/seoulTime";
import { addDays, type StoredPoint } from "../../src/gps/points";
import type { LabelledPlace } from "../../src/gps/store";
import { mulberry32, offset } from "./tracks";

/**
 * A fixture week of a commuter, in Asia/Seoul local time, sampled every minute:
 * home at night; weekdays 08:30–09:00 commute, 09:00–18:00 work, 18:00–18:30 back home; Tuesday and Thursday
 * 18:00–18:30 to the gym, gym until 20:30, 20:30–21:00 home; Saturday 12:30–13:00 to the park, park until 15:00,
 * 15:00–15:30 home. `withGym: false` skips the gym (the comparison week).
 */
export const HOME = { lat: 37.55, lng: 126.97 };
const WORK = offset(HOME.lat, HOME.lng, 0, 5_000);
const GYM = offset(WORK.lat, WORK.lng, 2_000, 0);
const PARK = offset(HOME.lat, HOME.lng, -3_000, 0);
export const GYM_LABEL: LabelledPlace = { id: "gym1", name: "Gym", category: "exercise", lat: GYM.lat, lng: GYM.lng, radiusMeters: 120 };

const MIN = 60_000;
type Loc = { lat: number; lng: number };

export function routineWeek(monday: string, options: { withGym?: boolean; seed?: number } = {}): StoredPoint[] {
  const rnd = mulberry32(options.seed ?? 42);
  const withGym = options.withGym ?? true;
  const points: StoredPoint[] = [];
  const at = (day: number, hhmm: string): number => {
    const [h, m] = hhmm.split(":").map(Number) as [number, number];
    return seoulDayStart(addDays(monday, day)) + (h * 60 + m) * MIN;
  };
  const stay = (from: number, to: number, loc: Loc): void => {
    for (let t = from; t < to; t += MIN) {
      const r = 15 * Math.sqrt(rnd());
      const a = rnd() * 2 * Math.PI;
      points.push({ t, ...offset(loc.lat, loc.lng, r * Math.cos(a), r * Math.sin(a)) });
    }
  };
  const move = (from: number, to: number, a: Loc, b: Loc): void => {
    const n = (to - from) / MIN;
    for (let i = 0; i < n; i++) {
      points.push({ t: from + i * MIN, lat: a.lat + ((b.lat - a.lat) * i) / n, lng: a.lng + ((b.lng - a.lng) * i) / n });
    }
  };
  let cursor = at(0, "00:00");
  let here: Loc = HOME;
  const go = (day: number, leave: string, arrive: string, to: Loc): void => {
    stay(cursor, at(day, leave), here);
    move(at(day, leave), at(day, arrive), here, to);
    cursor = at(day, arrive);
    here = to;
  };
  for (let d = 0; d < 7; d++) {
    if (d < 5) {
      go(d, "08:30", "09:00", WORK);
      if (withGym && (d === 1 || d === 3)) {
        go(d, "18:00", "18:30", GYM);
        go(d, "20:30", "21:00", HOME);
      } else {
        go(d, "18:00", "18:30", HOME);
      }
    } else if (d === 5) {
      go(d, "12:30", "13:00", PARK);
      go(d, "15:00", "15:30", HOME);
    }
  }
  stay(cursor, at(7, "00:00"), here);
  return points;
}
