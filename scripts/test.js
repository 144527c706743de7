// `npm test`: install if needed, build, lint, then every test tier this machine can run, and one summary line.
"use strict";
if (require("./lib/node").rerunOnProductionNode()) return;
const fs = require("node:fs");
const path = require("node:path");
const setup = require("./lib/setup");
const { nodeBanner } = require("./lib/node");

console.log(nodeBanner());

const RESULTS = path.join(setup.ROOT, ".test-results");
fs.rmSync(RESULTS, { recursive: true, force: true });
fs.mkdirSync(RESULTS, { recursive: true });

setup.ensureDependencies();
setup.ensureLocalSecrets();
setup.buildDeployUnits();
setup.buildTestsAndTools();
setup.mustRun(path.join(setup.BIN, "eslint"), ["."]);

const mochaTier = (tier) => `node scripts/mocha.js ${tier} ${path.join(RESULTS, `${tier}.json`)}`;
const firebase = path.join(setup.BIN, "firebase");
const statuses = [];

console.log("\n== Tier 1-3: pure logic, functions through firebase-functions-test, real brokers ==");
statuses.push(setup.run("sh", ["-c", mochaTier("unit")]));

console.log("\n== Tier 4: Auth and Functions emulators (firebase emulators:exec --only auth,functions) ==");
statuses.push(
  setup.run(firebase, ["emulators:exec", "--only", "auth,functions", "--project", setup.PROJECT, mochaTier("emulator")]),
);

console.log("\n== Tier 5: full Emulator Suite ==");
if (setup.fullSuiteAvailable()) {
  statuses.push(
    setup.run(firebase, ["emulators:exec", "--project", setup.PROJECT, "--import", "emulators/seed", mochaTier("full")]),
  );
} else {
  console.log(
    setup.skippedEmulatorsParagraph("This tier's tests run without them and each skips, printing its reason."),
  );
  statuses.push(setup.run("sh", ["-c", mochaTier("full")]));
}

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const tier of ["unit", "emulator", "full"]) {
  const file = path.join(RESULTS, `${tier}.json`);
  if (!fs.existsSync(file)) {
    console.error(`✖ tier ${tier} produced no results (it crashed before mocha finished)`);
    totals.failed += 1;
    continue;
  }
  const tally = JSON.parse(fs.readFileSync(file, "utf8"));
  totals.passed += tally.passed;
  totals.failed += tally.failed;
  totals.skipped += tally.skipped;
}
const failedStatus = statuses.some((s) => s !== 0);
if (failedStatus && totals.failed === 0) totals.failed = 1;
const summary =
  `${totals.passed} passed, ${totals.failed} failed` + (totals.skipped ? `, ${totals.skipped} skipped` : "");
fs.writeFileSync(path.join(RESULTS, "summary.txt"), `${summary}\n`);
console.log(`\n${summary}`);
process.exit(totals.failed > 0 ? 1 : 0);
