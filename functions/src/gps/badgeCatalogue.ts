/**
 * The badge catalogue: every badge, its Korean title and its threshold, in one place. A rule compares one weekly
 * figure with a value; `all` requires every rule. Figure names are typed, so a misspelt one does not compile:
 * `hours.<category>` for the categories every user has (`hours.home`, `hours.work`, `hours.other`: hours at stays of
 * that category), `movingHours`, `distinctPlaces`, `stayCount`, `daysWithLogs`, `pointCount`, and
 * `change.<figure>` (this week minus the last) for all of them but `pointCount`.
 *
 * Weekly documents store the ids of the badges earned, and titles are looked up here when a week is read, so a
 * title is edited in this file alone. Ids are therefore permanent: never rename or remove one, since a stored week
 * naming an id this file no longer has is refused as malformed.
 */

/** The figures compared with the week before. */
export const COMPARED_FIGURES = ["movingHours", "distinctPlaces", "stayCount", "daysWithLogs"] as const;
/** The categories every user has; the words users give their own places vary per user and have no badges. */
const BADGE_CATEGORIES = ["home", "work", "other"] as const;

type ComparedFigure = (typeof COMPARED_FIGURES)[number];
type HoursFigure = `hours.${(typeof BADGE_CATEGORIES)[number]}`;
/** A figure of the week itself. */
export type WeekFigureName = ComparedFigure | HoursFigure | "pointCount";
/** A figure's change from the week before. */
export type ChangeFigureName = `change.${ComparedFigure | HoursFigure}`;
export type BadgeFigure = WeekFigureName | ChangeFigureName;

const HOURS_FIGURES: readonly HoursFigure[] = BADGE_CATEGORIES.map((c) => `hours.${c}` as const);
const CHANGE_FIGURES: readonly ChangeFigureName[] = [...COMPARED_FIGURES, ...HOURS_FIGURES].map((f) => `change.${f}` as const);
/** Every name a rule may use, for refusing one that reached a rule past the type checker (a cast, parsed data). */
export const BADGE_FIGURES: ReadonlySet<string> = new Set<BadgeFigure>([...COMPARED_FIGURES, ...HOURS_FIGURES, "pointCount", ...CHANGE_FIGURES]);

export interface BadgeRule {
  figure: BadgeFigure;
  op: ">=" | "<=" | ">" | "<";
  value: number;
}

export interface Badge {
  id: string;
  title: string;
  all: readonly BadgeRule[];
}

export const BADGES = [
  { id: "explorer", title: "탐험가: 일주일 동안 10곳 이상 방문", all: [{ figure: "distinctPlaces", op: ">=", value: 10 }] },
  { id: "homebody", title: "집돌이: 집에서 100시간 이상", all: [{ figure: "hours.home", op: ">=", value: 100 }] },
  { id: "hard-worker", title: "열일: 직장에서 40시간 이상", all: [{ figure: "hours.work", op: ">=", value: 40 }] },
  { id: "on-the-move", title: "이동왕: 10시간 이상 이동", all: [{ figure: "movingHours", op: ">=", value: 10 }] },
  { id: "every-day", title: "개근: 7일 모두 기록", all: [{ figure: "daysWithLogs", op: ">=", value: 7 }] },
  {
    id: "more-outside",
    title: "바깥 나들이: 지난주보다 밖에서 5시간 더",
    all: [{ figure: "change.hours.other", op: ">=", value: 5 }],
  },
  {
    id: "balance",
    title: "워라밸: 직장 45시간 이하, 다른 곳 10시간 이상",
    all: [
      { figure: "hours.work", op: ">", value: 0 },
      { figure: "hours.work", op: "<=", value: 45 },
      { figure: "hours.other", op: ">=", value: 10 },
    ],
  },
] as const satisfies readonly Badge[];

export type BadgeId = (typeof BADGES)[number]["id"];
export const BADGE_IDS: readonly BadgeId[] = BADGES.map((b) => b.id);

/** The catalogue's title of a badge: the only source of titles, for computed and stored weeks alike. */
export function badgeTitle(id: BadgeId): string {
  const badge = BADGES.find((b) => b.id === id);
  if (!badge) throw new RangeError(`no badge "${id}" in the catalogue`);
  return badge.title;
}
