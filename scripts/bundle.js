// Bundles one workspace package's entry point into a single CommonJS file for Node 22, for the deploy units
// (functions/, bridge/). Workspace packages (@wolley/*) are compiled in, because the deploy target installs the
// package's dependencies from the public registry, where they do not exist; every other package stays an external
// require, installed from the unit's own package.json.   Usage: node ../scripts/bundle.js <entry.ts> <out.js>
"use strict";
const path = require("node:path");
const esbuild = require("esbuild");

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error("usage: node scripts/bundle.js <entry.ts> <out.js>");
  process.exit(2);
}

const npmPackagesExternal = {
  name: "npm-packages-external",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@wolley/") ? undefined : { external: true }));
  },
};

esbuild
  .build({
    entryPoints: [path.resolve(entry)],
    outfile: path.resolve(outfile),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    sourcemap: true,
    // The contract is a workspace package: resolve it from its TypeScript source, not a prior build of it.
    mainFields: ["source", "main"],
    plugins: [npmPackagesExternal],
    logLevel: "warning",
  })
  .catch(() => process.exit(1));
