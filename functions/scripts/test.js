// `npm test` inside functions/: build, lint and the unit tier. The root `npm test` runs every tier.
"use strict";
const { execSync } = require("node:child_process");
const run = (cmd) => execSync(cmd, { stdio: "inherit", cwd: require("node:path").resolve(__dirname, "..") });
run("npm run build");
run("npm run lint");
run("npm run build:test");
run("node scripts/mocha.js unit");
