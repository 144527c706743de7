/** Use case: `smarthome/status` changed, so alarms for what changed, then the recommendation. */
import { once } from "../core/once";
import * as logs from "../core/logs";
import { describeIssues, parseStatus } from "@wolley/contract";
import { ALARM_KEEP, type Alarm, alarmsForChange, buildAlarms, newlySelectedMode } from "./alarms";
import type { ModeDoc } from "./documents";
import { loadModes } from "./modes";
import type { SmarthomeDeps } from "./ports";
import { recomputeRecommendation } from "./recommendationUpdate";

export interface StatusChange {
  /** `functionName:eventId`: the same event delivered twice writes its alarms once. */
  eventKey: string;
  eventTimeMs: number;
  before: unknown;
  after: unknown;
}

export type StatusOutcome = "deleted" | "invalid" | "duplicate" | "applied";

export async function handleStatusWritten(change: StatusChange, deps: SmarthomeDeps): Promise<StatusOutcome> {
  if (change.after === null || change.after === undefined) {
    logs.warn("smarthome_status_deleted", { eventKey: change.eventKey });
    await recomputeRecommendation(deps);
    return "deleted";
  }
  const after = parseStatus(change.after);
  if (!after.ok) {
    const shown = JSON.stringify(change.after).slice(0, 64);
    await deps.alerter.alert({
      key: `smarthome:status_invalid:${shown}`,
      device: "smarthome",
      message: `smarthome/status holds an invalid value ${shown}: ${describeIssues(after.issues)}`,
      details: { value: shown, issues: after.issues },
    });
    return "invalid";
  }
  const before = parseStatus(change.before);
  const previous = before.ok ? before.value : null;
  const modes = newlySelectedMode(previous, after.value) !== undefined ? await loadModes(deps.store) : new Map<number, ModeDoc>();
  const drafts = alarmsForChange(previous, after.value, (n) => modes.get(n)?.modeName);
  let outcome: StatusOutcome = "applied";
  if (drafts.length > 0) {
    const result = await writeAlarms(deps, change.eventKey, buildAlarms(drafts, change.eventTimeMs, change.eventKey));
    if (result.duplicate) outcome = "duplicate";
    logs.info("smarthome_alarms_written", { eventKey: change.eventKey, ...result });
  }
  await recomputeRecommendation(deps);
  return outcome;
}

export interface AlarmWrite {
  /** Nothing new was written: the event was applied before (a replay). */
  duplicate: boolean;
  written: string[];
  trimmed: string[];
}

/**
 * Creates an event's alarms once (`processed_events/<eventKey>`; without it a replay would bring back alarms already
 * trimmed), then trims to the `keep` newest. Nothing here serialises concurrent events: each alarm is its own
 * create, and the trim needs no transaction because it deletes only alarms that had `keep` newer ones, which no
 * later trim can remove before them.
 */
export async function writeAlarms(
  deps: Pick<SmarthomeDeps, "store" | "now">,
  eventKey: string,
  alarms: readonly Alarm[],
  keep = ALARM_KEEP,
): Promise<AlarmWrite> {
  const created = await once(deps.store.processed, eventKey, () => deps.store.createAlarms(alarms), { now: deps.now });
  const written = created.ran ? created.value : [];
  const trimmed = await deps.store.trimAlarms(keep);
  return { duplicate: written.length === 0, written, trimmed };
}
