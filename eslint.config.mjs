import tseslint from "typescript-eslint";

// The functions' folders in layers: a folder may import only the folders listed for it, and the lists form no loop,
// so no two folders import each other, directly or round a longer loop. A new folder needs its line here.
const LAYERS = {
  core: [],
  http: ["core"],
  integrations: ["core"],
  gps: ["core", "http"],
  notifications: ["core", "http"],
  smarthome: ["core", "integrations"],
  bridge: ["core", "integrations", "smarthome"],
  api: ["core", "http", "gps", "notifications"],
};
/** What ships may not lean on test code: fakes and fixtures are not deployed. */
const NO_TEST_IMPORTS = { group: ["**/test", "**/test/**"], message: "production source may not import test code" };
const layerRules = Object.entries(LAYERS).map(([folder, allowed]) => ({
  files: [`functions/src/${folder}/**/*.ts`],
  rules: {
    "no-restricted-imports": ["error", {
      patterns: [{
        group: ["../*", ...allowed.flatMap((dep) => [`!../${dep}`, `!../${dep}/*`])],
        message: `functions/src/${folder} may import only ${allowed.join(", ") || "its own files"} (LAYERS in eslint.config.mjs)`,
      }, NO_TEST_IMPORTS],
    }],
  },
}));
const productionRules = {
  files: ["functions/src/*.ts", "bridge/src/**/*.ts", "contract/src/**/*.ts", "tools/src/**/*.ts"],
  rules: { "no-restricted-imports": ["error", { patterns: [NO_TEST_IMPORTS] }] },
};

export default tseslint.config(
  { ignores: ["**/lib/**", "**/build/**", "**/node_modules/**", "eslint.config.mjs", "knip.config.ts", "scripts/**", "*/scripts/**", "emulators/**"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ["./contract/tsconfig.test.json", "./functions/tsconfig.test.json", "./bridge/tsconfig.test.json", "./tools/tsconfig.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/explicit-module-boundary-types": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { disallowTypeAnnotations: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  {
    // The lazy Admin SDK accessors: a typed require on first use is the point of that module.
    files: ["functions/src/core/admin.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Processes that own their stdout: the bridge service, the CLI, tests and benchmarks.
    files: ["*/test/**/*.ts", "tools/**/*.ts", "bridge/src/**/*.ts"],
    rules: { "no-console": "off" },
  },
  {
    files: ["*/test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-expressions": "off",
      "@typescript-eslint/explicit-module-boundary-types": "off",
    },
  },
  ...layerRules,
  productionRules,
);
