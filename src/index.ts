/** qmas-sim: the library API. The CLI (src/cli) is a thin layer over these exports. */
export * from "./errors.js";
export * from "./dates.js";
export * from "./applicants/record.js";
export * from "./applicants/pool.js";
export * from "./rules/types.js";
export { RuleBook, type DayRanges } from "./rules/book.js";
export { loadRuleBook, ruleBookFrom, readYamlFile } from "./rules/load.js";
export { RuleSetSchema, TalentListSchema, ConditionSchema, PointsRuleSetSchema, CriteriaRuleSetSchema } from "./rules/schema.js";
export { evaluateCondition, compileCondition, type Predicate } from "./rules/conditions.js";
export { compileMask, type MaskFn } from "./rules/vector.js";
export { scoreApplicant, factorScore, passMarkOf, type ScoreOptions } from "./rules/score.js";
export { scorePool, type ScorePoolOptions } from "./rules/batch.js";
export { explainApplicant, type Explanation, type Hint } from "./rules/explain.js";
export { formatCondition, formatRuleSet } from "./rules/format.js";
export { rankOrder } from "./rules/rank.js";
export { rankingCsvChunks, rankingHeader, writeRankingCsv, RANKING_COLUMNS } from "./rules/ranking-csv.js";
export { neverHolds, impliedByEarlier } from "./rules/implication.js";
export {
  readApplicantCsv,
  writeApplicantCsv,
  parseApplicantRow,
  type CsvReadResult,
  type ParsedRow,
  type ReadApplicantCsvOptions,
} from "./applicants/csv.js";
export type { RowProblem } from "./applicants/csv-row.js";
export {
  loadDistributionSpec,
  parseDistributionSpec,
  listDistributionSpecs,
  specToData,
  DEGREE_LEVELS,
  VARIABLES,
  type DistributionSpec,
  type AnyDist,
  type Calibration,
  type VariableDef,
} from "./applicants/spec.js";
export { generatePool, GENERATOR_ALGORITHM, type GenerateOptions } from "./applicants/generate.js";
export { applySpecOverrides, type SpecOverrides } from "./applicants/gen-overrides.js";
export { formatPlainNumber } from "./applicants/csv-fields.js";
export {
  csvCell,
  csvValue,
  formatCsv,
  openCsvWriter,
  writeCsvFile,
  writeCsvFileSync,
  type CsvValue,
  type CsvWriter,
  type CsvWriterOptions,
} from "./report/csv.js";
export { loadScenario, readScenarioYaml, type ExtendsResolver } from "./scenario/load.js";
export { validateScenario } from "./scenario/validate.js";
export { scenarioSchema, type Scenario, type ScenarioInput, type TieBreak, type UnusedQuotaMode } from "./scenario/schema.js";
export { rankCandidates } from "./selection/rank.js";
export { runExercise, buildCommittee, type ExerciseInput, type ExerciseOutcome } from "./selection/exercise.js";
export { Applications } from "./simulation/store.js";
export { simulate, DECISIONS, type Decision, type Policy, type RoundMetrics, type RunResult } from "./simulation/timeline.js";
export { loadScenarioInputs, runScenario, policyOf, type ScenarioInputs, type ScenarioRun } from "./simulation/run.js";
export { runScenarioParallel, type ParallelRun, type ParallelRunOptions } from "./simulation/parallel.js";
export { cohortTable, summarize, metricTable, ROUND_METRICS, COHORT_METRICS, type CohortRow, type RunSummary } from "./simulation/metrics.js";
export { writeRunOutputs, manifestOf } from "./simulation/outputs.js";
export * from "./report/html/index.js";
export { readScenarioChain, resolveScenarioFile, type ExtraOverrides, type ReformBase, type ResolvedScenario } from "./scenario/extends.js";
export { getAtPath, parsePath, setAtPath } from "./scenario/overrides.js";
export { diffValues, type Change } from "./scenario/diff.js";
export { resolveScenario } from "./experiments/resolve.js";
export { changedParameters } from "./experiments/changes.js";
export { replicationSeed, replicationSeeds } from "./experiments/seeds.js";
export { summarize as summarizeValues, summarizeDifferences, tQuantile, type Summary } from "./experiments/stats.js";
export { collectSeries, compareSeries, summarizeSeries, type MetricTable, type RunMetrics } from "./experiments/metrics.js";
export { runExperiment, type ExperimentRun } from "./experiments/experiment.js";
export { parseVary, sweepGrid, writeExperimentReport, type ExperimentReport } from "./experiments/reports.js";
export { rerunManifest } from "./experiments/rerun.js";
export type { ExperimentManifest, ExperimentSpec } from "./experiments/manifest.js";
