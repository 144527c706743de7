import type { Status } from "@wolley/contract";

const NO_RECOMMENDATION = "none";

export interface RecommendationInput {
  status: Status | null;
  homeRain: boolean;
  /** OpenWeatherMap icon code such as `10n`. */
  weatherIcon: string | null;
  /** OpenWeatherMap AQI, 1 (good) … 5 (very poor). */
  airLevel: number | null;
}

/** The text for `server/notification`: the first rule that matches, in the order the apps were built around. */
export function recommend({ status, homeRain, weatherIcon, airLevel }: RecommendationInput): string {
  if (!status) return NO_RECOMMENDATION;
  const windowOpen = status.windowOpen === 1;
  const icon = weatherIcon ?? "";
  if (status.gasValveEnable === 1) return "가스벨브가 열려있어요.";
  if (homeRain && windowOpen) return "비가오니 창문을 닫아주세요.";
  if (/^(09|10|11)/.test(icon) && windowOpen) return "비 소식이 있으니 창문을 닫아주세요.";
  if (/^13/.test(icon) && windowOpen) return "눈 소식이 있으니 창문을 닫아주세요.";
  if (airLevel !== null && airLevel >= 2 && windowOpen) return "대기질이 나쁘니 창문을 닫아주세요.";
  return NO_RECOMMENDATION;
}
