import { MemoryOnceLedger } from "./memoryOnceLedger";
import { onceLedgerContract } from "./onceLedgerContract";

describe("MemoryOnceLedger contract", () => {
  onceLedgerContract(() => new MemoryOnceLedger());
});
