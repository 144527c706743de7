/**
 * The badge catalogue: every badge and its threshold, in one place. A rule compares one weekly figure with a value;
 * `all` requires every rule. Figures: `hours.<category>` (hours at stays of that category, e.g. `hours.home`),
 * `movingHours`, `distinctPlaces`, `stayCount`, `daysWithLogs`, and `change.<figure>` (this week minus the last).
 */
export interface BadgeRule {
  figure: string;
  op: ">=" | "<=" | ">" | "<";
  value: number;
}

export interface Badge {
  id: string;
  title: string;
  all: BadgeRule[];
}

export const BADGES: readonly Badge[] = [
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
];
