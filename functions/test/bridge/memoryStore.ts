/** The in-memory bridge store: the same contract as the Firestore/RTDB one (storeContract.ts). */
import type { Schedule } from "../../src/bridge/commands";
import type { BridgeStore } from "../../src/bridge/store";
import { MemoryOnceLedger } from "../core/memoryOnceLedger";

export interface MemoryBridgeStore extends BridgeStore {
  readonly processed: MemoryOnceLedger;
  readonly users: Map<string, { name: string }>;
  readonly schedules: Map<string, Schedule>;
  /** Every status written, in order (the last one is the current `smarthome/status`). */
  readonly statuses: string[];
}

export function memoryBridgeStore(): MemoryBridgeStore {
  const processed = new MemoryOnceLedger();
  const users = new Map<string, { name: string }>();
  const schedules = new Map<string, Schedule>();
  const statuses: string[] = [];
  return {
    processed,
    users,
    schedules,
    statuses,
    upsertUserAccount: (uid, name) => {
      users.set(uid, { name });
      return Promise.resolve();
    },
    userName: (uid) => Promise.resolve(users.get(uid)?.name),
    putSchedule: (schedule) => {
      schedules.set(schedule.title, structuredClone(schedule));
      return Promise.resolve();
    },
    setSmarthomeStatus: (status) => {
      statuses.push(status);
      return Promise.resolve();
    },
  };
}
