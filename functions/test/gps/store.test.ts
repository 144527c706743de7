import { InMemoryGpsStore } from "./memoryStore";
import { gpsStoreContract } from "./storeContract";

describe("InMemoryGpsStore contract", () => {
  gpsStoreContract(() => Promise.resolve(new InMemoryGpsStore()));
});
