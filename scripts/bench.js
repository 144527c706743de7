// `npm run bench [name…]`: builds once, then runs every committed benchmark (tools/package.json `bench:<name>`),
// or only the named ones. Each prints its figures as a ratio against a baseline measured in the same run.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const setup = require("./lib/setup");
const pkg = require("../tools/package.json");

const all = Object.keys(pkg.scripts)
  .filter((name) => name.startsWith("bench:"))
  .map((name) => name.slice("bench:".length));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${all.join(", ")}`);
  process.exit(2);
}
setup.ensureDependencies();
setup.buildDeployUnits();
setup.buildTestsAndTools();
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n== bench:${name} ==`);
  setup.mustRun("npm", ["run", "--silent", `bench:${name}`], { cwd: setup.TOOLS });
}
