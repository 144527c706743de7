import * as logs from "../core/logs";
import { type ModeDoc, ModeDocSchema, modeDocId, parseDoc } from "./documents";
import type { SmarthomeStore } from "./store";

/** The valid modes by number; a document whose id is not its number (a shadow of another mode) is ignored. */
export async function loadModes(store: SmarthomeStore): Promise<Map<number, ModeDoc>> {
  const modes = new Map<number, ModeDoc>();
  for (const doc of await store.listModes()) {
    const parsed = parseDoc(ModeDocSchema, doc.data);
    if (!parsed.ok) {
      logs.warn("smarthome_mode_invalid", { id: doc.id, issues: parsed.issues });
      continue;
    }
    if (doc.id !== modeDocId(parsed.value)) {
      logs.warn("smarthome_mode_misplaced", { id: doc.id, modeNum: parsed.value.modeNum, expectedId: modeDocId(parsed.value) });
      continue;
    }
    modes.set(parsed.value.modeNum, parsed.value);
  }
  return modes;
}
