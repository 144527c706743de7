import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/lib/**", "**/build/**", "**/node_modules/**", "eslint.config.mjs", "scripts/**", "*/scripts/**", "emulators/**"] },
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
    files: ["functions/src/admin.ts"],
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
);
