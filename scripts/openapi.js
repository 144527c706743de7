// Writes docs/openapi.json, the api's OpenAPI 3.1 document, generated from the routes' declarations
// (functions/src/api/openapiDocument.ts). A unit test fails when the committed file and the code disagree.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");
const setup = require("./lib/setup");

setup.ensureDependencies();
// Inside the workspace, so the bundle's external requires resolve from its node_modules.
const outfile = path.join(setup.FUNCTIONS, "build", "openapi", "openapiDocument.js");
esbuild
  .build({
  entryPoints: [path.join(setup.FUNCTIONS, "src", "http", "openapiDocument.ts")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  mainFields: ["source", "main"],
  plugins: [
    {
      name: "npm-packages-external",
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@wolley/") ? undefined : { external: true }));
      },
    },
  ],
  logLevel: "warning",
  })
  .then(() => {
    const { apiDocument } = require(outfile);
    const target = path.join(setup.ROOT, "docs", "openapi.json");
    fs.writeFileSync(target, `${JSON.stringify(apiDocument(), null, 2)}\n`);
    console.log(`wrote ${path.relative(setup.ROOT, target)}`);
  })
  .catch(() => process.exit(1));
