import { onValueWritten } from "firebase-functions/v2/database";
import { DATABASE_TRIGGER_DEFAULTS, SLACK_WEBHOOK_URL } from "../core/config";
import { smarthomeDeps } from "./deps";
import { handleStatusWritten } from "./statusChange";
import { SMARTHOME_PATHS } from "./paths";

/** `smarthome/status` changed: alarms for what changed, then the recommendation. Replays are deduplicated. */
export const onSmarthomeStatusWritten = onValueWritten(
  { ...DATABASE_TRIGGER_DEFAULTS, ref: SMARTHOME_PATHS.status, secrets: [SLACK_WEBHOOK_URL], retry: true },
  async (event) => {
    await handleStatusWritten(
      {
        eventKey: `onSmarthomeStatusWritten:${event.id}`,
        eventTimeMs: Date.parse(event.time),
        before: event.data.before.val() as unknown,
        after: event.data.after.val() as unknown,
      },
      smarthomeDeps(),
    );
  },
);
