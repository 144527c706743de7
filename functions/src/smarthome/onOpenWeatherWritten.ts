import { onValueWritten } from "firebase-functions/v2/database";
import { DATABASE_TRIGGER_DEFAULTS } from "../core/config";
import { smarthomeDeps } from "./deps";
import { recomputeRecommendation } from "./recommendationUpdate";
import { SMARTHOME_PATHS } from "./paths";

/**
 * The weather is one of the recommendation's inputs (the status and the home sensor are the others), so a change
 * recomputes it. Recomputing is idempotent, so replays need no dedupe.
 */
export const onOpenWeatherWritten = onValueWritten({ ...DATABASE_TRIGGER_DEFAULTS, ref: SMARTHOME_PATHS.weather, retry: true }, async (_event) => {
  await recomputeRecommendation(smarthomeDeps());
});
