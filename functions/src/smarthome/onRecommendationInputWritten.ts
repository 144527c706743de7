import { onValueWritten } from "firebase-functions/v2/database";
import { DATABASE_TRIGGER_DEFAULTS } from "../config";
import { smarthomeDeps } from "./deps";
import { recomputeRecommendation } from "./recommendationUpdate";

/**
 * The recommendation also depends on the home sensor and the weather; a change to either recomputes it. The status
 * input is covered by onSmarthomeStatusWritten. Recomputing is idempotent, so replays need no dedupe.
 */
export const onHomeSensorWritten = onValueWritten({ ...DATABASE_TRIGGER_DEFAULTS, ref: "sensor/hometemp", retry: true }, async (_event) => {
  await recomputeRecommendation(smarthomeDeps());
});

export const onOpenWeatherWritten = onValueWritten({ ...DATABASE_TRIGGER_DEFAULTS, ref: "sensor/openweather", retry: true }, async (_event) => {
  await recomputeRecommendation(smarthomeDeps());
});
