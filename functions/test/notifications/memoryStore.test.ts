import { InMemoryInstallationStore, InMemoryRunStore } from "./memoryStore";
import { installationStoreContract, runStoreContract } from "./storeContract";

describe("notifications/memoryStore", () => {
  describe("InMemoryInstallationStore honours the installation contract", () => {
    installationStoreContract(() => new InMemoryInstallationStore());
  });
  describe("InMemoryRunStore honours the run contract", () => {
    runStoreContract(() => new InMemoryRunStore());
  });
});
