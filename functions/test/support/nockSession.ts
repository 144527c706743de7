import nock from "nock";

// Importing nock patches node:http for the whole mocha process, which changes how other suites' raw requests fail;
// so it is switched off at import and only switched on inside the suites that call useNock().
nock.restore();

/** Intercepts HTTP for the enclosing suite only, with real network refused. */
export function useNock(): void {
  before(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => nock.cleanAll());
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });
}
