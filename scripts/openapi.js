// Writes docs/openapi.json, the api's OpenAPI 3.1 document, generated from the routes' declarations
// (functions/src/api/openapiDocument.ts). A unit test fails when the committed file and the code disagree.
// With --check it writes nothing and exits 1 when docs/openapi.json is not what it would write.
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
  entryPoints: [path.join(setup.FUNCTIONS, "src", "api", "openapiDocument.ts")],
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
    const text = `${JSON.stringify(apiDocument(), null, 2)}\n`;
    const shown = path.relative(setup.ROOT, target);
    if (process.argv.includes("--check")) {
      const same = fs.existsSync(target) && fs.readFileSync(target, "utf8") === text;
      console.log(same ? `${shown} is up to date` : `${shown} is stale: run npm run openapi`);
      process.exit(same ? 0 : 1);
    }
    fs.writeFileSync(target, text);
    console.log(`wrote ${shown}`);
  })
  .catch(() => process.exit(1));
