import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";

/**
 * What `firebase deploy` ships for this codebase, read the way firebase-tools reads it: the runtime it asks Cloud
 * Functions for, the files it uploads (firebase.json `ignore`, applied by firebase-tools' own directory walker), and
 * what the uploaded bundle requires at run time.
 */
const functionsDir = path.resolve(__dirname, "..", "..");
const repoDir = path.resolve(functionsDir, "..");
const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(repoDir, file), "utf8")) as T;

interface FunctionsConfig {
  source: string;
  runtime: string;
  ignore: string[];
}
interface PackageJson {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * Cloud Run functions' Node.js runtimes that may still be deployed, with the day each is decommissioned (after it,
 * functions on it can be neither created nor updated). Node.js 20 was decommissioned on 2026-10-30.
 */
const DEPLOYABLE_RUNTIMES: Record<string, { major: number; decommissioned: string }> = {
  nodejs22: { major: 22, decommissioned: "2027-10-31" },
};

const config = readJson<{ functions: FunctionsConfig[] }>("firebase.json").functions[0]!;
const runtime = DEPLOYABLE_RUNTIMES[config.runtime];

describe("deploy unit", () => {
  it("deploys on a Node.js runtime Cloud Functions still accepts", () => {
    assert.ok(runtime, `firebase.json runtime ${config.runtime} is not deployable (allowed: ${Object.keys(DEPLOYABLE_RUNTIMES).join(", ")})`);
    assert.ok(
      new Date().toISOString().slice(0, 10) < runtime.decommissioned,
      `${config.runtime} was decommissioned on ${runtime.decommissioned}: move firebase.json, engines and the bridge image to a supported Node.js`,
    );
  });

  it("uses the same Node.js major everywhere: runtime, engines, the bridge image and the root commands", async () => {
    const major = String(runtime!.major);
    assert.equal(readJson<PackageJson>("functions/package.json").engines?.node, major);
    assert.equal(readJson<PackageJson>("bridge/package.json").engines?.node, major);
    const froms = [...readFileSync(path.join(repoDir, "bridge/Dockerfile"), "utf8").matchAll(/^FROM node:(\d+)/gm)].map((m) => m[1]);
    assert.ok(froms.length >= 2, "the bridge Dockerfile has a build and a run stage");
    assert.deepEqual(new Set(froms), new Set([major]));
    const rootCommands = (await import(path.join(repoDir, "scripts/lib/node.js"))) as { PRODUCTION_MAJOR: number };
    assert.equal(rootCommands.PRODUCTION_MAJOR, runtime!.major);
  });

  it("uploads only the bundle, its manifest and lockfile, and the params file", async () => {
    const walker = (await import(require.resolve("firebase-tools/lib/fsAsync", { paths: [repoDir] }))) as {
      readdirRecursive: (options: { path: string; ignoreStrings: string[] }) => Promise<{ name: string }[]>;
    };
    const source = path.join(repoDir, config.source);
    const files = (await walker.readdirRecursive({ path: source, ignoreStrings: config.ignore }))
      .map((f) => path.relative(source, f.name))
      .filter((name) => !/^\.env\.|^\.secret\.local$/.test(name))
      .sort();
    assert.deepEqual(files, [".env", "lib/index.js", "package-lock.json", "package.json"]);
  });

  it("bundles only function code: no bridge service, CLI, benchmark or test fake", () => {
    const map = JSON.parse(readFileSync(path.join(functionsDir, "lib/index.js.map"), "utf8")) as { sources: string[] };
    const outside = map.sources
      .map((s) => path.relative(repoDir, path.resolve(functionsDir, "lib", s)))
      .filter((s) => !s.startsWith("functions/src/") && !s.startsWith("contract/src/"));
    assert.deepEqual(outside, []);
  });

  it("requires at run time only Node built-ins and its declared production dependencies, none of them MQTT", () => {
    const pkg = readJson<PackageJson>("functions/package.json");
    const deps = Object.keys(pkg.dependencies ?? {});
    assert.equal(pkg.devDependencies, undefined, "Cloud Build's npm ci checks devDependencies too; keep them at the root");
    assert.deepEqual(deps.filter((d) => /mqtt|aedes/.test(d)), []);
    const bundle = readFileSync(path.join(functionsDir, "lib/index.js"), "utf8");
    const required = new Set([...bundle.matchAll(/\b(?:require|import)\("([^"]+)"\)/g)].map((m) => m[1]!));
    const packageOf = (id: string) => (id.startsWith("@") ? id.split("/").slice(0, 2).join("/") : id.split("/")[0]!);
    const undeclared = [...required].filter((id) => !id.startsWith("node:") && !builtinModules.includes(id) && !deps.includes(packageOf(id)));
    assert.deepEqual(undeclared, []);
  });
});
