/**
 * Module boundaries of src/, checked by `npm run depcheck` (dependency-cruiser) in CI.
 *
 * The folders form layers; a file may import from its own folder and from the layers below it, never
 * from a layer above. Bottom to top:
 *
 *   shared       src/*.ts: errors, dates, random streams, paths, atomic writes, the CSV writer, "did you mean"
 *   applicants   the applicant record and pool; csv/ (read, write) and generate/ (specs, synthetic pools)
 *   rules        rule sets: schema, loading, scoring, explanations (score applicants, know no quarters)
 *   selection    one selection exercise: ranking, tie-breaks, quota, committee (its own types)
 *   scenario     the scenario file: schema, `extends`, overrides, validation (describes, runs nothing)
 *   residence    after allotment: arrival, stays, extensions, permanent residence (scenario-configured)
 *   simulation   the quarterly timeline, a scenario's run and its output files
 *   validation   published figures as data, and how a run's figures compare with them
 *   report       the HTML/Markdown renderer: receives report models, imports only shared helpers
 *   experiments  replications, comparisons, sweeps, reruns; builds the report models from results
 *   cli          the commands (a thin layer)
 *   index.ts     the public library API (may re-export any layer but the CLI)
 *
 * The report renderer sits low on purpose: it computes nothing from simulation state, so it needs
 * nothing above the shared helpers.
 */
const LAYERS = [
  "shared",
  "applicants",
  "rules",
  "selection",
  "scenario",
  "residence",
  "simulation",
  "validation",
  "report",
  "experiments",
  "cli",
];

/** The path pattern of a layer's files. */
function filesOf(layer) {
  return layer === "shared" ? "^src/[^/]+[.]ts$" : `^src/${layer}/`;
}

const layerRules = LAYERS.map((layer, i) => {
  const above = LAYERS.slice(i + 1);
  return {
    name: `layer-${layer}`,
    comment: `${layer} must not import from a layer above it (${above.join(", ")})`,
    severity: "error",
    from: { path: filesOf(layer), pathNot: "^src/index[.]ts$" },
    to: { path: above.map(filesOf) },
  };
}).filter((rule) => rule.to.path.length > 0);

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no import cycle between files (type-only imports included)",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: "report-renders-data-only",
      comment: "the report renderer receives models: it imports only the shared helpers and itself",
      severity: "error",
      from: { path: "^src/report/" },
      to: { path: "^src/", pathNot: ["^src/report/", filesOf("shared")] },
    },
    {
      name: "shared-imports-no-layer",
      comment: "the shared helpers at the top of src/ import nothing from the folders",
      severity: "error",
      from: { path: filesOf("shared"), pathNot: "^src/index[.]ts$" },
      to: { path: "^src/[^/]+/" },
    },
    {
      name: "every-folder-has-a-layer",
      comment: "a new folder under src/ must be given its place in LAYERS (this file)",
      severity: "error",
      from: { path: "^src/[^/]+/", pathNot: LAYERS.filter((l) => l !== "shared").map(filesOf) },
      to: {},
    },
    {
      name: "library-not-cli",
      comment: "the public API does not depend on the command line",
      severity: "error",
      from: { path: "^src/index[.]ts$" },
      to: { path: "^src/cli/" },
    },
    {
      name: "subsystem-entry-only",
      comment:
        "outside applicants/csv and applicants/generate, use their entry file (index.ts), not the helpers behind it",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/applicants/(csv|generate)/" },
      to: { path: "^src/applicants/(csv|generate)/", pathNot: "^src/applicants/(csv|generate)/index[.]ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    includeOnly: "^src/",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
