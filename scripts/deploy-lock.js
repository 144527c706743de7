// Writes functions/package-lock.json for the deploy: the part of the workspace lockfile that the functions'
// production dependencies resolve to, so Cloud Build's `npm ci` installs exactly the versions the tests ran with.
// The workspace keeps one lockfile at the root; Cloud Build receives only functions/, so it needs its own.
// Usage (from a workspace package): node ../scripts/deploy-lock.js
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const unitDir = process.cwd();
const unit = path.relative(ROOT, unitDir).split(path.sep).join("/");
const pkg = JSON.parse(fs.readFileSync(path.join(unitDir, "package.json"), "utf8"));
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));

if (pkg.devDependencies || pkg.optionalDependencies) {
  console.error(`${unit}/package.json must list only "dependencies": Cloud Build's npm ci checks every listed one.`);
  process.exit(1);
}

/** Where npm finds `name` for the package installed at `from`: the nearest node_modules, walking up. */
function resolve(from, name) {
  for (let dir = from; ; ) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const parent = dir.lastIndexOf("/node_modules/");
    dir = parent >= 0 ? dir.slice(0, parent) : "";
  }
}

const packages = {};
const pending = [[unit, { ...pkg.dependencies }]];
while (pending.length > 0) {
  const [from, deps] = pending.pop();
  for (const name of Object.keys(deps)) {
    const location = resolve(from, name);
    if (!location) {
      if (from !== unit && lock.packages[from]?.peerDependenciesMeta?.[name]?.optional) continue;
      if (from !== unit && lock.packages[from]?.optionalDependencies?.[name]) continue;
      console.error(`cannot find ${name} (needed by ${from || "the root"}) in package-lock.json; run npm install`);
      process.exit(1);
    }
    const target = location.startsWith(`${unit}/`) ? location.slice(unit.length + 1) : location;
    if (packages[target]) continue;
    const { dev, devOptional, peer, ...entry } = lock.packages[location];
    packages[target] = entry;
    pending.push([location, { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies }]);
  }
}

const sorted = Object.fromEntries(Object.keys(packages).sort().map((key) => [key, packages[key]]));
const out = {
  name: pkg.name,
  lockfileVersion: 3,
  requires: true,
  packages: { "": { name: pkg.name, dependencies: pkg.dependencies, engines: pkg.engines }, ...sorted },
};
fs.writeFileSync(path.join(unitDir, "package-lock.json"), `${JSON.stringify(out, null, 2)}\n`);
