// Spec output for humans plus a JSON tally for the test orchestrator, which prints CI's one-line summary.
"use strict";
const fs = require("node:fs");
const Mocha = require("mocha");
const { EVENT_RUN_END, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class TallyReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let skipped = 0;
    runner.on(EVENT_TEST_PENDING, () => {
      skipped += 1;
    });
    runner.once(EVENT_RUN_END, () => {
      const out = process.env.TEST_RESULTS_FILE;
      if (!out) return;
      const { passes = 0, failures = 0 } = runner.stats ?? {};
      fs.writeFileSync(out, JSON.stringify({ passed: passes, failed: failures, skipped }));
    });
  }
}

module.exports = TallyReporter;
