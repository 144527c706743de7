import { memoryBridgeStore } from "./memoryStore";
import { bridgeStoreContract } from "./storeContract";

describe("memoryBridgeStore contract", () => {
  bridgeStoreContract(() => {
    const store = memoryBridgeStore();
    return Promise.resolve({
      store,
      readSchedule: (title) => Promise.resolve(store.schedules.get(title)),
      status: { read: () => Promise.resolve(store.statuses.at(-1)) },
    });
  });
});
