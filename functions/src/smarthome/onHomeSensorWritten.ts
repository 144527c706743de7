import { onValueWritten } from "firebase-functions/v2/database";
import { DATABASE_TRIGGER_DEFAULTS } from "../core/config";
import { smarthomeDeps } from "./deps";
import { recomputeRecommendation } from "./recommendationUpdate";
import { SMARTHOME_PATHS } from "./paths";

/**
 * The home sensor is one of the recommendation's inputs (the status and the weather are the others), so a change
 * recomputes it. Recomputing is idempotent, so replays need no dedupe.
 */
export const onHomeSensorWritten = onValueWritten({ ...DATABASE_TRIGGER_DEFAULTS, ref: SMARTHOME_PATHS.homeSensor, retry: true }, async (_event) => {
  await recomputeRecommendation(smarthomeDeps());
});
