/** HTML and Markdown reports: models, renderers, writers. */
export type {
  CohortComparison,
  CohortShareRow,
  CompareMetric,
  CompareReportModel,
  CompareSeriesPoint,
  HistogramBin,
  Interval,
  ParameterChange,
  Provenance,
  QuarterRow,
  RenderedReport,
  ReportModel,
  RuleSetRef,
  RunHeadline,
  RunReportModel,
  ScenarioInfo,
  ScoreHistogram,
  SourceRef,
  SweepAxis,
  SweepCell,
  SweepCellMetric,
  SweepReportModel,
  WaitHistogram,
} from "./models.js";
export { renderRunReport, runAnswer } from "./run.js";
export { renderCompareReport, significance } from "./compare.js";
export { renderSweepReport, sweepAnswer } from "./sweep.js";
export { renderReport, writeCompareReport, writeReport, writeRunReport, writeSweepReport, REPORT_HTML, SUMMARY_MD } from "./write.js";
export type { WrittenReport } from "./write.js";
export { escapeHtml } from "./format.js";
export { renderVegaLiteSvg } from "./vega.js";
export {
  compareReportModel,
  experimentHtmlInput,
  replicationReportModel,
  runReportModel,
  scenarioInfoOf,
  sweepReportModel,
  writeExperimentHtmlReport,
  writeScenarioRunReport,
} from "./adapters.js";
export type { ExperimentHtmlInput, RunModelOptions } from "./adapters.js";
export { binValues } from "./binning.js";
