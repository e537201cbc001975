/**
 * qmas-sim as a library: everything a program needs to load rules, pools and scenarios, run the
 * quarterly selection, replicate and compare runs, and write the same files and reports as the
 * command line. What is not exported here is internal and may change without notice; the CLI
 * (src/cli) is a thin layer over these exports. A short example: docs/api.md.
 *
 * @packageDocumentation
 */

// ── Applicants: the record, pools, CSV, synthetic generation ─────────────────────────────────────

/**
 * Read an applicant CSV into a columnar pool, validating every row (`rejectsFile` keeps the bad rows
 * and goes on); write a pool back; parse a single row.
 */
export {
  type CsvReadResult,
  type ParsedRow,
  parseApplicantRow,
  type ReadApplicantCsvOptions,
  type RowProblem,
  readApplicantCsv,
  writeApplicantCsv,
} from "./applicants/csv/index.js";
/**
 * Synthetic pools: load a distribution spec from data/distributions (or a path), change it with
 * key-path overrides, and draw a reproducible pool for a seed.
 */
export {
  type AnyDist,
  applySpecOverrides,
  type Calibration,
  type DistributionSpec,
  GENERATOR_ALGORITHM,
  type GenerateOptions,
  generatePool,
  listDistributionSpecs,
  loadDistributionSpec,
  parseDistributionSpec,
  type SpecOverrides,
} from "./applicants/generate/index.js";
/** A pool is columns of typed arrays; `applicantAt` gives one applicant back as a plain record. */
export { type ApplicantPool, applicantAt, idOf, poolFromApplicants } from "./applicants/pool.js";
/** The applicant record and its CSV columns (name, type, range, whether required). */
export {
  ACHIEVEMENTS,
  type Achievement,
  APPLICANT_COLUMNS,
  type Applicant,
  type ColumnSpec,
  defaultApplicant,
  SEXES,
  type Sex,
} from "./applicants/record.js";

// ── Shared: dates and errors ──────────────────────────────────────────────────────────────────────

/** ISO dates (`YYYY-MM-DD`) to day numbers and back; quarters as `2024Q1`. */
export { formatIsoDay, formatQuarter, parseIsoDay, SCHEME_OPENED_ON } from "./dates.js";
/**
 * Every error the library throws on bad input is a QmasError: `format()` gives one line
 * (`file:row: field: message`), `kind` its kind, `exitCode` what the CLI exits with. An InputError
 * names the option at fault in `option`.
 */
export {
  CsvFileError,
  CsvRowError,
  ErrorList,
  InputError,
  OutputError,
  QmasError,
  RuleSetError,
  ScenarioError,
  SpecError,
  WorkerError,
} from "./errors.js";

// ── Rules: rule sets, scoring, explanations ───────────────────────────────────────────────────────

/** The rule sets of data/rules (or your own), picked by date; score one applicant or a whole pool. */
export { type ScorePoolOptions, scorePool } from "./rules/batch.js";
export { RuleBook } from "./rules/book.js";
export { type Explanation, explainApplicant, type Hint } from "./rules/explain.js";
export { formatRuleSet } from "./rules/format.js";
export { loadRuleBook, ruleBookFrom } from "./rules/load.js";
export { passMarkOf, type ScoreOptions, scoreApplicant } from "./rules/score.js";
export type {
  Condition,
  CriteriaRuleSet,
  Factor,
  FactorScore,
  PointsRuleSet,
  PoolScores,
  Route,
  RuleSet,
  ScoreResult,
  Source,
  TalentList,
} from "./rules/types.js";

// ── Scenarios ─────────────────────────────────────────────────────────────────────────────────────

/** A scenario file validated, with `extends` and overrides resolved (what `run` and `compare` take). */
export { resolveScenario } from "./experiments/resolve.js";
export type { ResolvedScenario } from "./scenario/extends.js";
export { loadScenario } from "./scenario/load.js";
export type { Scenario, ScenarioInput, TieBreak, UnusedQuotaMode } from "./scenario/schema.js";
export { validateScenario } from "./scenario/validate.js";

// ── Simulation: one run of a scenario ─────────────────────────────────────────────────────────────

/** `qmas-sim run`: a scenario file run into a folder, with report.html and summary.md. */
export { runScenarioFileInto, type ScenarioFileRun } from "./experiments/run-scenario.js";
/**
 * After allotment (a run's `residence`, when the scenario enables it): arrivals, stays, extensions and
 * permanent residence, as whole-run totals, per quarter and per allotment-year cohort.
 */
export {
  ResidenceDataError,
  type ResidenceResult,
  type ResidenceTotals,
  residenceCohorts,
  residenceQuarters,
  residenceTotals,
} from "./residence/index.js";
/** Whole-run totals and per-cohort rows of a run (what summary.md and cohort.csv show). */
export { type CohortRow, cohortTable, type RunSummary, summarizeRun } from "./simulation/metrics.js";
/** Write a run's folder: decisions.csv, rounds.csv, cohort.csv and manifest.json. */
export { writeRunOutputs } from "./simulation/outputs.js";
/** The same run as runScenario, with a large generated pool drawn on worker threads (same result). */
export { type ParallelRunOptions, runScenarioParallel } from "./simulation/parallel.js";
/** Load what a scenario reads (rules, pool or spec) once, then run it for any seed. */
export { loadScenarioInputs, runScenario, type ScenarioInputs, type ScenarioRun } from "./simulation/run.js";
/** Per-application decisions (codes index DECISIONS) and per-quarter metrics of a run. */
export { DECISIONS, type Decision, type RoundMetrics, type RunResult } from "./simulation/timeline.js";

// ── Experiments: replications, comparisons, sweeps, reruns ────────────────────────────────────────

/** What differs between two resolved scenarios, path by path (the changes.csv of a comparison). */
export { changedParameters } from "./experiments/changes.js";
/** Replications with hash-derived seeds, the same for every scenario (common random numbers). */
export { type ExperimentReport, type ExperimentRun, runExperiment } from "./experiments/experiment.js";
export type { ExperimentManifest, ExperimentSpec } from "./experiments/manifest.js";
/**
 * An experiment split over machines: each writes a shard folder (`qmas-sim run|compare|sweep --shard i/N`),
 * then mergeShards writes the folder one machine would have written, byte for byte (`qmas-sim merge`).
 */
export { type MergeOptions, type MergeReport, mergeShards } from "./experiments/merge.js";
/** Metric series over replications, their means with 95 % confidence intervals, paired differences. */
export {
  compareSeries,
  type MetricComparison,
  type MetricSeries,
  type MetricSummary,
  type MetricTable,
  type RunMetrics,
  summarizeSeries,
} from "./experiments/metrics.js";
/** `qmas-sim compare` / `sweep` / `run -n`: an experiment from its spec to its folder. */
export { parseVary, type ReportOptions, sweepGrid, writeExperimentReport } from "./experiments/reports.js";
/** `qmas-sim rerun`: run a folder's manifest again and compare the files byte for byte. */
export { type RerunResult, rerunManifest } from "./experiments/rerun.js";
export { replicationSeeds } from "./experiments/seeds.js";
export { type ShardManifest, type ShardOptions, type ShardReport, writeShard } from "./experiments/shard.js";
export { type Summary, summarizeValues } from "./experiments/stats.js";

// ── Reports: models built from results, rendered to HTML and Markdown ─────────────────────────────

/** Report models from a run or an experiment, and writing report.html and summary.md from them. */
export {
  compareReportModel,
  replicationReportModel,
  runReportModel,
  sweepReportModel,
  writeExperimentHtmlReport,
  writeScenarioRunReport,
} from "./experiments/report-models.js";
export {
  type CompareReportModel,
  type RenderedReport,
  type ReportModel,
  type RunReportModel,
  renderReport,
  type SweepReportModel,
  type WrittenReport,
  writeReport,
} from "./report/html/index.js";
