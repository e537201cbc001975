/** HTML and Markdown reports: models, renderers, writers. */

export { binValues } from "./binning.js";
export { renderCompareReport, significance } from "./compare.js";
export { escapeHtml } from "./format.js";
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
export { renderSweepReport, sweepAnswer } from "./sweep.js";
export { renderVegaLiteSvg } from "./vega.js";
export type { WrittenReport } from "./write.js";
export {
  REPORT_HTML,
  renderReport,
  SUMMARY_MD,
  writeCompareReport,
  writeReport,
  writeRunReport,
  writeSweepReport,
} from "./write.js";
