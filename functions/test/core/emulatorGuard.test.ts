import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { EMULATOR_VARIABLES, assertNoEmulatorsInProduction, emulatorVariablesInProduction } from "../../src/core/emulatorGuard";

const functionsDir = path.resolve(__dirname, "..", "..", "..");
const deployedEntry = path.join(functionsDir, "lib", "index.js");
const compiledAdmin = path.join(functionsDir, "build", "src", "core", "admin.js");

/** The environment of a production instance: this one without any emulator variable and without FUNCTIONS_EMULATOR. */
function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of [...EMULATOR_VARIABLES, "FUNCTIONS_EMULATOR"]) if (!(name in extra)) delete env[name];
  return env;
}

function runNode(script: string, env: NodeJS.ProcessEnv): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, ["-e", script], { cwd: functionsDir, env, encoding: "utf8", timeout: 30_000 });
  return { status: result.status, stderr: result.stderr };
}

describe("emulator guard", function () {
  this.timeout(60_000);

  it("finds every emulator variable set outside the Functions emulator, and none inside it", () => {
    for (const name of EMULATOR_VARIABLES) {
      assert.deepEqual(emulatorVariablesInProduction({ [name]: "127.0.0.1:1" }), [name]);
      assert.deepEqual(emulatorVariablesInProduction({ [name]: "127.0.0.1:1", FUNCTIONS_EMULATOR: "true" }), []);
      assert.deepEqual(emulatorVariablesInProduction({ [name]: "127.0.0.1:1", FUNCTIONS_EMULATOR: "1" }), [name]);
      assert.deepEqual(emulatorVariablesInProduction({ [name]: "" }), []);
    }
    assert.deepEqual(emulatorVariablesInProduction({}), []);
    assert.throws(() => assertNoEmulatorsInProduction({ FIREBASE_AUTH_EMULATOR_HOST: "127.0.0.1:9099" }), /FIREBASE_AUTH_EMULATOR_HOST/);
  });

  it("a production-shaped process with FIREBASE_AUTH_EMULATOR_HOST set refuses to load the deployed functions", () => {
    const refused = runNode(`require(${JSON.stringify(deployedEntry)})`, productionEnv({ FIREBASE_AUTH_EMULATOR_HOST: "127.0.0.1:9099" }));
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /EmulatorInProductionError: refusing to start: emulator variable\(s\) FIREBASE_AUTH_EMULATOR_HOST set/);
  });

  it("the same process loads them under the Functions emulator, and without emulator variables", () => {
    const emulated = runNode(`require(${JSON.stringify(deployedEntry)})`, productionEnv({ FIREBASE_AUTH_EMULATOR_HOST: "127.0.0.1:9099", FUNCTIONS_EMULATOR: "true" }));
    assert.equal(emulated.status, 0, emulated.stderr);
    const production = runNode(`require(${JSON.stringify(deployedEntry)})`, productionEnv({}));
    assert.equal(production.status, 0, production.stderr);
  });

  it("the Admin app is never created in a production process with an emulator variable set", () => {
    const script = `require(${JSON.stringify(compiledAdmin)}).adminApp()`;
    const refused = runNode(script, productionEnv({ FIRESTORE_EMULATOR_HOST: "127.0.0.1:8080" }));
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /refusing to start: emulator variable\(s\) FIRESTORE_EMULATOR_HOST set/);
  });
});
