/** qmas-sim: the library API. The CLI (src/cli) is a thin layer over these exports. */

export {
  type CsvReadResult,
  formatPlainNumber,
  type ParsedRow,
  parseApplicantRow,
  type ReadApplicantCsvOptions,
  type RowProblem,
  readApplicantCsv,
  writeApplicantCsv,
} from "./applicants/csv/index.js";
export {
  type AnyDist,
  applySpecOverrides,
  type Calibration,
  DEGREE_LEVELS,
  type DistributionSpec,
  GENERATOR_ALGORITHM,
  type GenerateOptions,
  generatePool,
  listDistributionSpecs,
  loadDistributionSpec,
  parseDistributionSpec,
  type SpecOverrides,
  specToData,
  VARIABLES,
  type VariableDef,
} from "./applicants/generate/index.js";
export * from "./applicants/pool.js";
export * from "./applicants/record.js";
export {
  type CsvValue,
  type CsvWriter,
  type CsvWriterOptions,
  csvCell,
  csvValue,
  formatCsv,
  openCsvWriter,
  writeCsvFile,
  writeCsvFileSync,
} from "./csv-writer.js";
export * from "./dates.js";
export * from "./errors.js";
export { changedParameters } from "./experiments/changes.js";
export { type ExperimentRun, runExperiment } from "./experiments/experiment.js";
export type { ExperimentManifest, ExperimentSpec } from "./experiments/manifest.js";
export { type MergeOptions, type MergeReport, mergeShards } from "./experiments/merge.js";
export {
  collectSeries,
  compareSeries,
  type MetricTable,
  type RunMetrics,
  summarizeSeries,
} from "./experiments/metrics.js";
export { type ExperimentReport, parseVary, sweepGrid, writeExperimentReport } from "./experiments/reports.js";
export { rerunManifest } from "./experiments/rerun.js";
export { resolveScenario } from "./experiments/resolve.js";
export { replicationSeed, replicationSeeds } from "./experiments/seeds.js";
export { type ShardManifest, type ShardOptions, type ShardReport, writeShard } from "./experiments/shard.js";
export { planShards, type RunRange, type Shard } from "./experiments/shard-plan.js";
export {
  type Summary,
  summarize as summarizeValues,
  summarizeDifferences,
  tQuantile,
} from "./experiments/stats.js";
export * from "./report/html/index.js";
export { type ScorePoolOptions, scorePool } from "./rules/batch.js";
export { type DayRanges, RuleBook } from "./rules/book.js";
export { compileCondition, evaluateCondition, type Predicate } from "./rules/conditions.js";
export { type Explanation, explainApplicant, type Hint } from "./rules/explain.js";
export { formatCondition, formatRuleSet } from "./rules/format.js";
export { impliedByEarlier, neverHolds } from "./rules/implication.js";
export { type ListChoice, listChoices, listDay } from "./rules/list-day.js";
export { loadRuleBook, readYamlFile, ruleBookFrom } from "./rules/load.js";
export { rankOrder } from "./rules/rank.js";
export { RANKING_COLUMNS, rankingCsvChunks, rankingHeader, writeRankingCsv } from "./rules/ranking-csv.js";
export {
  ConditionSchema,
  CriteriaRuleSetSchema,
  PointsRuleSetSchema,
  RuleSetSchema,
  TalentListSchema,
} from "./rules/schema.js";
export { factorScore, passMarkOf, type ScoreOptions, scoreApplicant } from "./rules/score.js";
export * from "./rules/types.js";
export { compileMask, type MaskFn } from "./rules/vector.js";
export { type Change, diffValues } from "./scenario/diff.js";
export {
  type ExtraOverrides,
  type ReformBase,
  type ResolvedScenario,
  readScenarioChain,
  resolveScenarioFile,
} from "./scenario/extends.js";
export { type ExtendsResolver, loadScenario, readScenarioYaml } from "./scenario/load.js";
export { getAtPath, parsePath, setAtPath } from "./scenario/overrides.js";
export {
  type Scenario,
  type ScenarioInput,
  scenarioSchema,
  type TieBreak,
  type UnusedQuotaMode,
} from "./scenario/schema.js";
export { validateScenario } from "./scenario/validate.js";
export {
  buildCommittee,
  type ExerciseInput,
  type ExerciseOutcome,
  runExercise,
} from "./selection/exercise.js";
export { rankCandidates } from "./selection/rank.js";
export {
  COHORT_METRICS,
  type CohortRow,
  cohortTable,
  metricTable,
  ROUND_METRICS,
  type RunSummary,
  summarize,
} from "./simulation/metrics.js";
export { manifestOf, writeRunOutputs } from "./simulation/outputs.js";
export { type ParallelRun, type ParallelRunOptions, runScenarioParallel } from "./simulation/parallel.js";
export {
  loadScenarioInputs,
  policyOf,
  runScenario,
  type ScenarioInputs,
  type ScenarioRun,
} from "./simulation/run.js";
export { Applications } from "./simulation/store.js";
export {
  DECISIONS,
  type Decision,
  type Policy,
  type RoundMetrics,
  type RunResult,
  simulate,
} from "./simulation/timeline.js";
