/**
 * The Admin SDK and the Google client libraries switch to an emulator whenever its variable is set; with
 * FIREBASE_AUTH_EMULATOR_HOST they even accept unsigned ID tokens. A production instance that inherited one of these
 * (a copied .env, a mis-set runtime variable) would trust forged tokens or write to nowhere, so it refuses to start.
 * The Functions emulator sets FUNCTIONS_EMULATOR=true, and so does the test runner for the tiers that run against
 * emulators (scripts/mocha.js); anywhere else an emulator variable is a configuration error.
 */
export const EMULATOR_VARIABLES = [
  "FIREBASE_AUTH_EMULATOR_HOST",
  "FIRESTORE_EMULATOR_HOST",
  "FIREBASE_DATABASE_EMULATOR_HOST",
  "FIREBASE_STORAGE_EMULATOR_HOST",
  "STORAGE_EMULATOR_HOST",
  "PUBSUB_EMULATOR_HOST",
  "CLOUD_TASKS_EMULATOR_HOST",
  "FIREBASE_EMULATOR_HUB",
] as const;

class EmulatorInProductionError extends Error {
  constructor(readonly variables: readonly string[]) {
    super(
      `refusing to start: emulator variable(s) ${variables.join(", ")} set outside the Functions emulator ` +
        "(FUNCTIONS_EMULATOR is not \"true\"); the Admin SDK would trust unsigned tokens or talk to an emulator. " +
        "Unset them in the function's environment.",
    );
    this.name = "EmulatorInProductionError";
  }
}

/** The emulator variables set in `env` when it is not an emulated environment; empty when all is well. */
export function emulatorVariablesInProduction(env: NodeJS.ProcessEnv): string[] {
  if (env.FUNCTIONS_EMULATOR === "true") return [];
  return EMULATOR_VARIABLES.filter((name) => (env[name] ?? "") !== "");
}

/** Throws EmulatorInProductionError when a production process has an emulator variable set. */
export function assertNoEmulatorsInProduction(env: NodeJS.ProcessEnv = process.env): void {
  const found = emulatorVariablesInProduction(env);
  if (found.length > 0) throw new EmulatorInProductionError(found);
}
