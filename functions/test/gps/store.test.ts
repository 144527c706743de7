import { InMemoryGpsStore } from "../../src/gps/store";
import { gpsStoreContract } from "./storeContract";

describe("InMemoryGpsStore contract", () => {
  gpsStoreContract(() => Promise.resolve(new InMemoryGpsStore()));
});
