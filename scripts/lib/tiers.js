// The test tiers as the root commands run them, and the one summary line CI reads: "N passed, N failed[, N skipped]".
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const setup = require("./setup");
const { emulatorArgs, emulatorPlan, missingEmulatorsParagraph, NODE_EMULATORS } = require("./emulators");
const { nodeBanner } = require("./node");

const RESULTS = path.join(setup.ROOT, ".test-results");
const firebase = path.join(setup.BIN, "firebase");
const mocha = (tier) => `node scripts/mocha.js ${tier} ${path.join(RESULTS, `${tier}.json`)}`;

/** What every test command does before its tiers: no results of an earlier run, dependencies, secrets, builds. */
function prepare() {
  console.log(nodeBanner());
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  setup.ensureDependencies();
  setup.ensureLocalSecrets();
  setup.buildDeployUnits();
  setup.buildTestsAndTools();
}

/** Tiers 1–3: pure logic, functions through firebase-functions-test, real brokers. */
function unitTier() {
  console.log("\n== Tier 1-3: pure logic, functions through firebase-functions-test, real brokers ==");
  return setup.run("sh", ["-c", mocha("unit")]);
}

/** Tier 4: the api with real ID tokens, under the Auth and Functions emulators (pure Node: they always start). */
function authEmulatorTier() {
  console.log("\n== Tier 4: Auth and Functions emulators ==");
  const args = ["emulators:exec", "--only", "auth,functions", "--project", setup.PROJECT, mocha("emulator")];
  return setup.run(firebase, args, { env: { ...process.env, ...emulatorPlan().env } });
}

/** Tier 5: store contracts, rules and end-to-end flows under every emulator this machine can start. */
function fullSuiteTier() {
  const plan = emulatorPlan();
  const javaBased = plan.only.filter((name) => !NODE_EMULATORS.includes(name));
  console.log(`\n== Tier 5: Emulator Suite (${plan.only.join(", ")}) ==`);
  const paragraph = missingEmulatorsParagraph(plan, "Tests that need them skip, each printing why.");
  if (paragraph) console.log(paragraph);
  if (javaBased.length === 0) return setup.run("sh", ["-c", mocha("full")]);
  const args = emulatorArgs(plan, "exec", setup.PROJECT, "--import", "emulators/seed", mocha("full"));
  return setup.run(firebase, args, { env: { ...process.env, ...plan.env } });
}

/** Adds up the tiers' tallies, prints the summary line and exits: non-zero when anything failed or crashed. */
function finish(tiers, statuses) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const failures = [];
  for (const tier of tiers) {
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
    for (const failure of tally.failures ?? []) failures.push({ tier, ...failure });
  }
  // Named just above the summary line, so the tail of a long CI log says which tests failed and why.
  for (const failure of failures) {
    console.log(`\n✖ [${failure.tier}] ${failure.title}${failure.file ? `\n  in ${path.relative(setup.ROOT, failure.file)}` : ""}`);
    console.log(failure.error.replace(/^/gm, "    "));
  }
  if (statuses.some((s) => s !== 0) && totals.failed === 0) totals.failed = 1;
  const summary = `${totals.passed} passed, ${totals.failed} failed` + (totals.skipped ? `, ${totals.skipped} skipped` : "");
  fs.writeFileSync(path.join(RESULTS, "summary.txt"), `${summary}\n`);
  console.log(`\n${summary}`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

module.exports = { prepare, unitTier, authEmulatorTier, fullSuiteTier, finish };
