import { MemorySmarthomeStore } from "./memoryStore";
import { smarthomeStoreContract } from "./storeContract";

describe("MemorySmarthomeStore contract", () => {
  smarthomeStoreContract(() => {
    const store = new MemorySmarthomeStore();
    return Promise.resolve({
      store,
      seedSchedule: (id, data) => Promise.resolve(void store.schedules.set(id, { ...data })),
      readSchedule: (id) => Promise.resolve(store.schedules.get(id)),
      alarmIds: () => Promise.resolve([...store.alarms.keys()]),
      readAlarmIds: () => Promise.resolve([...store.alarms.keys()].sort()),
    });
  });
});
