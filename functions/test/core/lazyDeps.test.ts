import { strict as assert } from "node:assert";
import { lazyDeps } from "../../src/core/lazyDeps";

interface Ports {
  store: { name: string };
  outbound: { name: string };
  alerter: { via: { name: string } };
}

function counted() {
  const builds: string[] = [];
  const built = <T>(name: string, port: T): T => {
    builds.push(name);
    return port;
  };
  const deps = lazyDeps<Ports>({
    store: () => built("store", { name: "store" }),
    outbound: () => built("outbound", { name: "outbound" }),
    alerter: (ports) => built("alerter", { via: ports.outbound }),
  });
  return { deps, builds };
}

describe("lazyDeps", () => {
  it("builds nothing until a port is read, then only that port, once", () => {
    const { deps, builds } = counted();
    const ports = deps.get();
    assert.deepEqual(builds, []);
    assert.equal(ports.store.name, "store");
    assert.equal(deps.get().store, ports.store);
    assert.deepEqual(builds, ["store"]);
  });

  it("builds the ports a builder reads, and shares them", () => {
    const { deps, builds } = counted();
    assert.equal(deps.get().alerter.via, deps.get().outbound);
    assert.deepEqual(builds, ["outbound", "alerter"]);
  });

  it("serves installed fakes instead of building, until reset", () => {
    const { deps, builds } = counted();
    const fakes: Ports = { store: { name: "fake" }, outbound: { name: "fake" }, alerter: { via: { name: "fake" } } };
    deps.set(fakes);
    assert.equal(deps.get(), fakes);
    deps.set(undefined);
    assert.equal(deps.get().store.name, "store");
    assert.deepEqual(builds, ["store"]);
  });
});
