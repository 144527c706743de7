// Spec output for humans plus a JSON tally for the test orchestrator, which prints CI's one-line summary. The tally
// names each failure, so the last lines of a long CI log say which test failed and why.
"use strict";
const fs = require("node:fs");
const Mocha = require("mocha");
const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

const firstLines = (text, n) =>
  String(text ?? "").split("\n").slice(0, n).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line)).join("\n");

class TallyReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let skipped = 0;
    const failures = [];
    runner.on(EVENT_TEST_PENDING, () => {
      skipped += 1;
    });
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      failures.push({ title: test.fullTitle(), file: test.file ?? null, error: firstLines(err?.stack ?? err?.message ?? err, 6) });
    });
    runner.once(EVENT_RUN_END, () => {
      const out = process.env.TEST_RESULTS_FILE;
      if (!out) return;
      const { passes = 0, failures: failed = 0 } = runner.stats ?? {};
      fs.writeFileSync(out, JSON.stringify({ passed: passes, failed, skipped, failures }));
    });
  }
}

module.exports = TallyReporter;
