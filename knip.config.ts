// Unused files, dependencies and exports: `npm test` (scripts/test.js) runs Knip twice, right after eslint.
//
// - `knip`: every file and export something imports, tests included. An export that only its own module uses drops
//   `export`.
// - `knip --production`: only what the deploy units and the CLIs reach from their entries (the patterns ending in
//   "!"). An export only tests use is test-only code: it moves to the test tree (test support) or goes. A module's
//   own function exported for its unit test counts as used. A test seam production must carry (the set*Deps of
//   functions/src/*/deps.ts) is tagged `@internal` with the reason.
import type { KnipConfig } from "knip";

const production = process.argv.some((arg) => arg === "--production" || arg === "-p" || arg === "--strict" || arg === "-s");

const config: KnipConfig = {
  ignoreExportsUsedInFile: production,
  // scripts/lib is CommonJS read through a namespace (`setup.mustRun(...)`), which Knip does not follow: its files
  // are checked, its exports are not.
  ignoreIssues: { "scripts/lib/*.js": ["exports"] },
  workspaces: {
    ".": {
      // The root commands (package.json scripts), the mocha reporter scripts/mocha.js passes by path, and the
      // emulator helpers scripts/start.js and emulators/README.md run.
      entry: ["scripts/*.js", "scripts/lib/mocha-reporter.js", "emulators/*.js"],
      project: ["scripts/**/*.js", "emulators/**/*.js"],
    },
    contract: {
      // The entry is package.json's `source`/`main`.
      project: ["src/**/*.ts!", "test/**/*.ts"],
      mocha: { entry: ["test/**/*.test.ts"] },
    },
    functions: {
      // The deployed bundle's entry, and the OpenAPI document scripts/openapi.js bundles into docs/openapi.json.
      entry: ["src/index.ts!", "src/api/openapiDocument.ts!"],
      project: ["src/**/*.ts!", "test/**/*.ts"],
      mocha: { entry: ["test/**/*.test.ts", "test/support/quietLogs.ts"] },
    },
    bridge: {
      entry: ["src/main.ts!"],
      project: ["src/**/*.ts!", "test/**/*.ts"],
      mocha: { entry: ["test/**/*.test.ts"] },
      // bridge/Dockerfile installs this workspace alone, and its build runs scripts/bundle.js, which needs esbuild.
      ignoreDependencies: ["esbuild"],
      // RabbitMQ's Erlang port mapper, which bridge/test/support/rabbitmq.ts starts: no npm package.
      ignoreBinaries: ["epmd"],
    },
    tools: {
      // The commands scripts/staypoints.js and scripts/migrate-topics.js run, and the benchmarks of `npm run bench`.
      entry: ["src/*-cli.ts!", "src/migrate-topics.ts!", "bench/*.ts"],
      project: ["src/**/*.ts!", "bench/**/*.ts", "test/**/*.ts"],
      mocha: { entry: ["test/**/*.test.ts"] },
    },
  },
};

export default config;
