/**
 * Deploy-time discovery of this codebase against a bare one-function project, same machine, same run: the CLI loads
 * lib/ and asks for the manifest, and times out after 10 s; our budget is 2 s. Usage: npm run bench -- discovery
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { median } from "./stats";

const RUNS = 7;
const functionsDir = path.resolve(__dirname, "../../../../functions");
const sdkMain = require.resolve("firebase-functions", { paths: [functionsDir] });
const sdkDir = sdkMain.slice(0, sdkMain.lastIndexOf("firebase-functions") + "firebase-functions".length);
const bin = path.join(sdkDir, "lib/bin/firebase-functions.js");

function bareProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "bare-functions-"));
  // The workspace hoists every dependency to the root node_modules; the bare project sees the same ones.
  symlinkSync(path.dirname(sdkDir), path.join(dir, "node_modules"), "dir");
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bare", main: "index.js" }));
  writeFileSync(
    path.join(dir, "index.js"),
    'const { onRequest } = require("firebase-functions/v2/https");\n' +
      'exports.hello = onRequest((req, res) => { res.send("hi"); });\n',
  );
  return dir;
}

function discoverMs(dir: string): number {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "manifest-")), "m.json");
  const started = process.hrtime.bigint();
  // As firebase-tools does: the binary reads the source from its working directory.
  execFileSync(process.execPath, [bin], { cwd: dir, env: { ...process.env, FUNCTIONS_MANIFEST_OUTPUT_PATH: out } });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const bare = bareProject();
try {
  discoverMs(bare);
  discoverMs(functionsDir);
  const bareRuns: number[] = [];
  const oursRuns: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    bareRuns.push(discoverMs(bare));
    oursRuns.push(discoverMs(functionsDir));
  }
  const b = median(bareRuns);
  const o = median(oursRuns);
  console.log(`discovery median of ${RUNS} (interleaved, after one warm-up each):`);
  console.log(`  bare one-function project: ${b.toFixed(0)} ms`);
  console.log(`  wolley functions:          ${o.toFixed(0)} ms`);
  console.log(`  ratio wolley/bare:         ${(o / b).toFixed(2)}x   (budget 2000 ms, CLI timeout 10000 ms)`);
} finally {
  rmSync(bare, { recursive: true, force: true });
}
