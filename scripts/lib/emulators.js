// Which emulators this machine can start without downloading anything, and the environment that makes
// firebase-tools use them. Found, in order: a JDK ≥ 21 (PATH, JAVA_HOME, the usual JVM folders), firebase-tools' own
// cached jars, and the Google Cloud SDK's emulator components. Nothing here downloads; what cannot start is named
// with how to get it.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const zlib = require("node:zlib");
const { spawnSync } = require("node:child_process");
const { pathToFileURL } = require("node:url");

const ROOT = path.resolve(__dirname, "..", "..");
const MIN_JAVA = 21;
/** Emulators that are plain Node inside firebase-tools: they always start. */
const NODE_EMULATORS = ["auth", "functions", "eventarc", "tasks"];
const FIRESTORE_MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

const firebaseToolsLib = () => path.dirname(require.resolve("firebase-tools/lib/emulator/downloadableEmulatorInfo.json", { paths: [ROOT] }));
const emulatorCacheDir = () => process.env.FIREBASE_EMULATORS_PATH || path.join(os.homedir(), ".cache", "firebase", "emulators");

/** The major version a JDK/JRE home declares in its `release` file, or by asking its `java` when it has none. */
function javaMajorOf(javaBin) {
  const home = path.dirname(path.dirname(fs.realpathSync(javaBin)));
  const release = path.join(home, "release");
  if (fs.existsSync(release)) {
    const match = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(fs.readFileSync(release, "utf8"));
    if (match) return { home, major: match[1] === "1" ? Number(match[2]) : Number(match[1]) };
  }
  const result = spawnSync(javaBin, ["-version"], { encoding: "utf8" });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr ?? "");
  return { home, major: match ? (match[1] === "1" ? Number(match[2]) : Number(match[1])) : 0 };
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

const childrenOf = (dir, tail) =>
  fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name, ...tail)) : [];

/** The newest Java ≥ 21 on this machine, wherever it is installed; the `java` on PATH wins a tie. */
function findJava() {
  const candidates = [
    onPath("java"),
    process.env.JAVA_HOME && path.join(process.env.JAVA_HOME, "bin", "java"),
    ...childrenOf("/usr/lib/jvm", ["bin", "java"]),
    ...childrenOf("/opt/java", ["bin", "java"]),
    ...childrenOf(path.join(os.homedir(), ".sdkman", "candidates", "java"), ["bin", "java"]),
    ...childrenOf("/Library/Java/JavaVirtualMachines", ["Contents", "Home", "bin", "java"]),
  ].filter((file) => file && fs.existsSync(file));
  const seen = new Set();
  let best;
  let newestSeen = 0;
  for (const bin of candidates) {
    const java = { bin, ...javaMajorOf(bin) };
    if (seen.has(java.home)) continue;
    seen.add(java.home);
    newestSeen = Math.max(newestSeen, java.major);
    if (java.major >= MIN_JAVA && (!best || java.major > best.major)) best = java;
  }
  return { java: best, newestSeen };
}

/** The Google Cloud SDK root: the usual install folders, else what `gcloud info` says. */
function findCloudSdk() {
  const folders = ["/usr/lib/google-cloud-sdk", "/usr/share/google-cloud-sdk", "/opt/google-cloud-sdk",
    path.join(os.homedir(), "google-cloud-sdk"), "/snap/google-cloud-sdk/current"];
  const found = folders.find((dir) => fs.existsSync(path.join(dir, "platform")));
  if (found) return found;
  if (!onPath("gcloud")) return undefined;
  const info = spawnSync("gcloud", ["info", "--format=value(installation.sdk_root)"], { encoding: "utf8", timeout: 20_000 });
  const root = info.status === 0 ? info.stdout.trim() : "";
  return root && fs.existsSync(root) ? root : undefined;
}

/** A stored (uncompressed) zip, enough for a jar that holds only a manifest. */
function storedZip(name, content) {
  const data = Buffer.from(content);
  const fileName = Buffer.from(name);
  const crc = zlib.crc32(data);
  const header = (signature, extra) => {
    const fixed = Buffer.alloc(extra);
    fixed.writeUInt32LE(signature, 0);
    return fixed;
  };
  const local = header(0x04034b50, 30);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = header(0x02014b50, 46);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + data.length;
  const end = header(0x06054b50, 22);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

/** Manifest lines are at most 72 bytes; longer values continue on lines that start with a space. */
function manifestLine(key, value) {
  const line = Buffer.from(`${key}: ${value}`);
  const parts = [line.subarray(0, 72)];
  for (let at = 72; at < line.length; at += 71) parts.push(Buffer.concat([Buffer.from(" "), line.subarray(at, at + 71)]));
  return parts.map((p) => p.toString()).join("\r\n");
}

/**
 * The Cloud SDK's Firestore jar has no Main-Class, and firebase-tools runs `java -jar <path>`; a launcher jar names
 * the class and puts the SDK jar on its Class-Path. It lives in .tools/ because firebase-tools chmods the override.
 */
function firestoreLauncher(sdkJar) {
  const manifest = [
    "Manifest-Version: 1.0",
    manifestLine("Main-Class", FIRESTORE_MAIN_CLASS),
    manifestLine("Class-Path", pathToFileURL(sdkJar).href),
    "",
    "",
  ].join("\r\n");
  const file = path.join(ROOT, ".tools", "emulators", "cloud-firestore-emulator-launcher.jar");
  const jar = storedZip("META-INF/MANIFEST.MF", manifest);
  if (!fs.existsSync(file) || !fs.readFileSync(file).equals(jar)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, jar);
  }
  return file;
}

/** firebase-tools chmods an override path, so the SDK's own script is reached through a copy-free wrapper of ours. */
function pubsubWrapper(sdkScript) {
  const file = path.join(ROOT, ".tools", "emulators", "cloud-pubsub-emulator");
  const script = `#!/bin/sh\nexec ${JSON.stringify(sdkScript)} "$@"\n`;
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== script) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, script, { mode: 0o755 });
  }
  return file;
}

let cachedPlan;

/**
 * What can start here: `only` (for `--only`), `ui`, the environment to run firebase-tools with, `missing`:
 * each emulator left out, with why and how to get it, and `binaries`: what firebase-tools would run for Firestore
 * (a jar) and Pub/Sub (a script taking --host and --port), for tools that start one on a port of their own.
 */
function emulatorPlan() {
  if (cachedPlan) return cachedPlan;
  const info = JSON.parse(fs.readFileSync(path.join(firebaseToolsLib(), "downloadableEmulatorInfo.json"), "utf8"));
  const cache = emulatorCacheDir();
  const cached = (relative) => fs.existsSync(path.join(cache, relative));
  const { java, newestSeen } = findJava();
  const sdk = findCloudSdk();
  // Nothing here runs on Google Cloud: without this, every Google client library in firebase-tools and in the
  // functions probes the metadata server first and prints a MetadataLookupWarning with a stack when it fails.
  const env = { METADATA_SERVER_DETECTION: "none" };
  const only = [...NODE_EMULATORS];
  const missing = [];
  const noJava =
    `needs Java ${MIN_JAVA} or newer and the newest found here is ${newestSeen ? `Java ${newestSeen}` : "none"} ` +
    `(looked on PATH, in JAVA_HOME and under /usr/lib/jvm); install a JDK ${MIN_JAVA}+, e.g. ` +
    `'apt-get install openjdk-21-jre-headless'`;

  // Firestore and Pub/Sub come from firebase-tools' cache, else from a Google Cloud SDK (through a shim of ours).
  const fromCacheOrSdk = [
    { id: "firestore", name: "Firestore", cached: info.firestore.downloadPathRelativeToCacheDir, variable: "FIRESTORE_EMULATOR_BINARY_PATH",
      sdkFile: ["cloud-firestore-emulator", "cloud-firestore-emulator.jar"], shim: firestoreLauncher,
      absent: `its jar is neither in firebase-tools' cache (${cache}) nor in a Google Cloud SDK; run 'gcloud components install cloud-firestore-emulator' or 'npx firebase setup:emulators:firestore' where downloads are allowed` },
    { id: "pubsub", name: "Pub/Sub", cached: info.pubsub.binaryPathRelativeToCacheDir, variable: "PUBSUB_EMULATOR_BINARY_PATH",
      sdkFile: ["pubsub-emulator", "bin", "cloud-pubsub-emulator"], shim: pubsubWrapper,
      absent: `it is neither in firebase-tools' cache (${cache}) nor in a Google Cloud SDK; run 'gcloud components install pubsub-emulator' or 'npx firebase setup:emulators:pubsub' where downloads are allowed` },
  ];
  const binaries = {};
  for (const emulator of fromCacheOrSdk) {
    const sdkFile = sdk && path.join(sdk, "platform", ...emulator.sdkFile);
    if (!java) missing.push({ name: emulator.name, why: noJava });
    else if (cached(emulator.cached)) {
      binaries[emulator.id] = path.join(cache, emulator.cached);
      only.push(emulator.id);
    } else if (sdkFile && fs.existsSync(sdkFile)) {
      env[emulator.variable] = emulator.shim(sdkFile);
      binaries[emulator.id] = env[emulator.variable];
      only.push(emulator.id);
    } else missing.push({ name: emulator.name, why: emulator.absent });
  }

  if (!java) missing.push({ name: "Realtime Database", why: noJava });
  else if (cached(info.database.downloadPathRelativeToCacheDir)) only.push("database");
  else {
    missing.push({ name: "Realtime Database", why: `its jar (${info.database.downloadPathRelativeToCacheDir}) is not in firebase-tools' cache (${cache}) and no SDK ships it; run 'npx firebase setup:emulators:database' once where storage.googleapis.com is reachable` });
  }

  const ui = cached(info.ui.main.binaryPathRelativeToCacheDir);
  if (!ui) {
    missing.push({ name: "Emulator UI", why: `it is not in firebase-tools' cache (${cache}); run 'npx firebase setup:emulators:ui' once where storage.googleapis.com is reachable` });
  }
  if (java) {
    env.JAVA_HOME = java.home;
    env.PATH = `${path.join(java.home, "bin")}${path.delimiter}${process.env.PATH ?? ""}`;
  }
  cachedPlan = { java, only, ui, env, missing, binaries };
  return cachedPlan;
}

/** firebase.json with the UI switched off, beside it (git-ignored) so its relative paths still resolve. */
function configWithoutUi() {
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, "firebase.json"), "utf8"));
  config.emulators.ui = { ...config.emulators.ui, enabled: false };
  const file = path.join(ROOT, ".firebase.no-ui.json");
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** Arguments for `firebase emulators:<command>` that start exactly what the plan can start, never a download. */
function emulatorArgs(plan, command, project, ...rest) {
  return [`emulators:${command}`, "--project", project, "--only", plan.only.join(","),
    ...(plan.ui ? [] : ["--config", configWithoutUi()]), ...rest];
}

/** One paragraph naming each emulator left out, why, and how to get it; empty when nothing is. */
function missingEmulatorsParagraph(plan, consequence) {
  if (plan.missing.length === 0) return "";
  const items = plan.missing.map((m) => `${m.name}: ${m.why}.`).join(" ");
  return `Emulators left out on this machine: ${plan.missing.map((m) => m.name).join(", ")}. ${items} ${consequence}`;
}

module.exports = { emulatorPlan, emulatorArgs, missingEmulatorsParagraph, NODE_EMULATORS };
