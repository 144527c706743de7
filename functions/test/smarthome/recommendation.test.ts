import { strict as assert } from "node:assert";
import { isRaining } from "../../src/smarthome/documents";
import { type Status, parseStatus } from "@wolley/contract";
import { type RecommendationInput, recommend } from "../../src/smarthome/recommendation";

function status(s: string): Status {
  const parsed = parseStatus(s);
  assert.ok(parsed.ok, s);
  return parsed.value;
}

const WINDOW_OPEN = status("000000010");
const WINDOW_CLOSED = status("000000000");
const GAS_OPEN = status("000000001");
const GAS_AND_WINDOW = status("000000011");

describe("smarthome recommendation", () => {
  const base: RecommendationInput = { status: WINDOW_CLOSED, homeRain: false, weatherIcon: "01d", airLevel: 1 };
  const table: [string, Partial<RecommendationInput>, string][] = [
    ["all quiet", {}, "none"],
    ["no status known", { status: null, homeRain: true, weatherIcon: "10d", airLevel: 5 }, "none"],
    ["gas valve open", { status: GAS_OPEN }, "가스벨브가 열려있어요."],
    ["gas beats everything", { status: GAS_AND_WINDOW, homeRain: true, weatherIcon: "13n", airLevel: 5 }, "가스벨브가 열려있어요."],
    ["home rain, window open", { status: WINDOW_OPEN, homeRain: true }, "비가오니 창문을 닫아주세요."],
    ["home rain beats forecast", { status: WINDOW_OPEN, homeRain: true, weatherIcon: "13d", airLevel: 4 }, "비가오니 창문을 닫아주세요."],
    ["home rain, window closed", { homeRain: true }, "none"],
    ["09 shower rain, window open", { status: WINDOW_OPEN, weatherIcon: "09d" }, "비 소식이 있으니 창문을 닫아주세요."],
    ["10 rain, window open", { status: WINDOW_OPEN, weatherIcon: "10n" }, "비 소식이 있으니 창문을 닫아주세요."],
    ["11 thunderstorm, window open", { status: WINDOW_OPEN, weatherIcon: "11d", airLevel: 5 }, "비 소식이 있으니 창문을 닫아주세요."],
    ["10 rain, window closed", { weatherIcon: "10n" }, "none"],
    ["13 snow, window open", { status: WINDOW_OPEN, weatherIcon: "13d", airLevel: 3 }, "눈 소식이 있으니 창문을 닫아주세요."],
    ["03 clouds, window open", { status: WINDOW_OPEN, weatherIcon: "03d" }, "none"],
    ["50 mist, window open", { status: WINDOW_OPEN, weatherIcon: "50d" }, "none"],
    ["air 2, window open", { status: WINDOW_OPEN, airLevel: 2 }, "대기질이 나쁘니 창문을 닫아주세요."],
    ["air 5, window open", { status: WINDOW_OPEN, airLevel: 5 }, "대기질이 나쁘니 창문을 닫아주세요."],
    ["air 1, window open", { status: WINDOW_OPEN, airLevel: 1 }, "none"],
    ["air 5, window closed", { airLevel: 5 }, "none"],
    ["no weather, window open", { status: WINDOW_OPEN, weatherIcon: null, airLevel: null }, "none"],
  ];
  for (const [name, change, expected] of table) {
    it(`${name} → ${expected}`, () => {
      assert.equal(recommend({ ...base, ...change }), expected);
    });
  }

  it("reads the home sensor's rain flag in the shapes sensors send", () => {
    for (const yes of [true, 1, 0.5, "1", "true", "TRUE"]) assert.equal(isRaining(yes), true, String(yes));
    for (const no of [false, 0, "0", "", "no", undefined]) assert.equal(isRaining(no), false, String(no));
  });
});
