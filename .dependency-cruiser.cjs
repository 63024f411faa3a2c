// @ts-check
/**
 * The layers of DESIGN.md, checked on every `npm run lint`: imports point one
 * way (cli → server → adapters → jobs → flows → store → commerce → core), no
 * import cycles, and nothing but tests and benchmarks reaches test helpers
 * or the example bots.
 */
const source = "^(core|commerce|flows|store|jobs|adapters|server|cli)/";
const notTest = "\\.test\\.ts$";

/** A layer may import only the folders listed after it (and itself). */
const layers = {
  core: [],
  commerce: ["core"],
  flows: ["core", "commerce", "store"],
  store: ["core", "commerce"],
  jobs: ["core", "commerce", "flows", "store"],
  adapters: ["core", "commerce", "flows", "store", "jobs"],
  server: ["core", "commerce", "flows", "store", "jobs", "adapters"],
  cli: ["core", "commerce", "flows", "store", "jobs", "adapters", "server"],
};
const folders = Object.keys(layers);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: modules that import each other cannot be understood, tested or loaded one at a time.",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only", "type-import"] } },
    },
    ...Object.entries(layers).map(([layer, allowed]) => ({
      name: `layers-${layer}`,
      severity: /** @type {const} */ ("error"),
      comment: `${layer}/ may import only ${allowed.length === 0 ? "nothing of Kiosk" : allowed.map((f) => `${f}/`).join(", ")} (DESIGN.md, Layout).`,
      from: { path: `^${layer}/`, pathNot: notTest },
      to: { path: `^(${folders.filter((f) => f !== layer && !allowed.includes(f)).join("|")})/` },
    })),
    {
      name: "no-test-code-in-source",
      severity: "error",
      comment: "Source never imports test helpers, fakes or example bots; only tests and benchmarks do.",
      from: { path: source, pathNot: notTest },
      to: { path: "^(tests|bots|bench|examples)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|data|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".d.ts"] },
  },
};
