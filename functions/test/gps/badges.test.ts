import assert from "node:assert/strict";
import { BADGES, BADGE_IDS, type Badge, type BadgeFigure, type BadgeRule, badgeTitle } from "../../src/gps/badgeCatalogue";
import { type WeeklyStats, awardBadges, sameStats, toWeeklyStatsDoc, weeklyStatsDocSchema } from "../../src/gps/stats";

const FIGURES = { hours: { home: 120, work: 30, other: 12 }, movingHours: 11, distinctPlaces: 12, stayCount: 30, daysWithLogs: 6, pointCount: 1 };

const WEEK: WeeklyStats = {
  uid: "u1",
  week: "2026-W47",
  from: "2026-11-16",
  to: "2026-11-22",
  figures: FIGURES,
  previous: null,
  change: null,
  badges: [
    { id: "explorer", title: badgeTitle("explorer") },
    { id: "homebody", title: badgeTitle("homebody") },
  ],
};

describe("badges: typed rules, ids in documents, titles from the catalogue", () => {
  it("does not compile a rule over a misspelt or unknown figure", () => {
    const rules: BadgeRule[] = [
      { figure: "hours.home", op: ">=", value: 1 },
      { figure: "change.hours.other", op: ">=", value: 5 },
      // @ts-expect-error a typo of hours.home
      { figure: "hours.hmoe", op: ">=", value: 1 },
      // @ts-expect-error a figure the week does not have
      { figure: "distinctPlace", op: ">=", value: 1 },
      // @ts-expect-error the point count is not compared week to week
      { figure: "change.pointCount", op: ">=", value: 1 },
      // @ts-expect-error no such operator
      { figure: "stayCount", op: "==", value: 1 },
    ];
    assert.equal(rules.length, 6);
  });

  it("refuses a figure name that got past the type checker instead of reading it as 0", () => {
    const typo = JSON.parse('"hours.hmoe"') as BadgeFigure;
    const catalogue: Badge[] = [{ id: "x", title: "X", all: [{ figure: typo, op: "<=", value: 5 }] }];
    assert.throws(() => awardBadges(FIGURES, null, catalogue), /unknown badge figure "hours.hmoe"/);
  });

  it("gives every catalogue badge a unique id and a title", () => {
    assert.deepEqual(BADGE_IDS, BADGES.map((b) => b.id));
    assert.equal(new Set(BADGE_IDS).size, BADGE_IDS.length);
    for (const id of BADGE_IDS) assert.ok(badgeTitle(id).length > 0, id);
  });

  it("stores a week's badges by id alone and reads them back with the catalogue's titles", () => {
    const doc = toWeeklyStatsDoc(WEEK);
    assert.deepEqual(doc.badges, ["explorer", "homebody"]);
    assert.deepEqual(weeklyStatsDocSchema.parse(doc), WEEK);
  });

  it("reads a document written before ids alone, with stored titles, as the catalogue's", () => {
    const legacy = { ...WEEK, badges: [{ id: "explorer", title: "an older wording" }, { id: "homebody", title: badgeTitle("homebody") }] };
    const read = weeklyStatsDocSchema.parse(legacy);
    assert.deepEqual(read, WEEK);
    assert.ok(sameStats(read, WEEK), "a legacy document equal to its recomputation is not rewritten");
  });

  it("refuses a stored badge id the catalogue does not have", () => {
    assert.equal(weeklyStatsDocSchema.safeParse({ ...toWeeklyStatsDoc(WEEK), badges: ["explorer", "homebodyy"] }).success, false);
    assert.equal(weeklyStatsDocSchema.safeParse({ ...WEEK, badges: [{ id: "gone", title: "Gone" }] }).success, false);
  });

  it("compares weeks by value whatever the key order", () => {
    const reordered: WeeklyStats = { ...WEEK, figures: { pointCount: 1, daysWithLogs: 6, stayCount: 30, distinctPlaces: 12, movingHours: 11, hours: { other: 12, work: 30, home: 120 } } };
    assert.ok(sameStats(reordered, WEEK));
    assert.ok(!sameStats({ ...WEEK, figures: { ...FIGURES, hours: { ...FIGURES.hours, home: 120.01 } } }, WEEK));
    assert.ok(!sameStats({ ...WEEK, badges: WEEK.badges.slice(1) }, WEEK));
  });
});
