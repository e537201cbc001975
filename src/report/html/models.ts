/**
 * What the HTML/Markdown reports show, as plain data. The reports never see simulation state: the
 * experiments' report models (src/experiments/report-models.ts) or a caller map a run's results into these models, so the renderers can be
 * tested with hand-made models and stay independent of how the engine stores things.
 *
 * Numbers are plain numbers; `null` means "not applicable" (e.g. no cutoff in an exercise that allotted
 * nobody, no quota under the 2024 regime) and is shown as "–".
 */

/** A 95 % confidence interval (or any two-sided interval) around a mean. */
export interface Interval {
  lo: number;
  hi: number;
}

/** One source of a rule set (a URL per value where known). */
export interface SourceRef {
  about: string;
  url: string;
  confidence?: string;
}

export interface RuleSetRef {
  id: string;
  title: string;
  /** ISO date, inclusive */
  effectiveFrom: string;
  /** ISO date, exclusive; null = still in force */
  effectiveTo: string | null;
  sources: SourceRef[];
}

/** One value a scenario changes relative to the scenario it extends. */
export interface ParameterChange {
  /** dotted key path, e.g. "selection.quota.per_year" */
  path: string;
  /** value in the scenario extended (as text, e.g. "1000"); null when the key is new */
  before: string | null;
  /** value in this scenario (as text) */
  after: string | null;
}

export interface ScenarioInfo {
  name: string;
  /** the question or description in prose (from the scenario file) */
  description: string;
  /** name or path of the scenario it extends; null for a full scenario */
  extends: string | null;
  /** what it changes relative to `extends` (empty for a full scenario) */
  changes: ParameterChange[];
}

/** What every report states so a reader can reproduce it. */
export interface Provenance {
  /** master seed */
  seed: string | number;
  packageVersion: string;
  ruleSets: RuleSetRef[];
  /** number of replications; 1 (or absent) = a single run */
  replications?: number;
  /** content hash of the resolved scenario(s), when known */
  scenarioHash?: string;
  /** e.g. "quarters 2019Q1–2019Q4" */
  period?: string;
}

export interface RunHeadline {
  applications: number;
  allotted: number;
  personsAdmitted: number;
  /** median over exercises of the lowest allotted score; null when nobody was allotted */
  medianCutoff: number | null;
  /** median wait in days from application to decision, over allotted applicants */
  medianWaitDays: number | null;
  assessed?: number;
  passed?: number;
}

/** One bar of a pre-binned histogram: `count` applicants with a value in [start, start + binWidth). */
export interface HistogramBin {
  start: number;
  count: number;
  /** stack group, e.g. "allotted", "passed, not allotted", "below pass mark", or a route */
  group?: string;
}

export interface ScoreHistogram {
  /** "points" or "criteria met" */
  unit: string;
  binWidth: number;
  bins: HistogramBin[];
  /** order of the stack groups (legend order); defaults to first-seen order */
  groups?: string[];
  passMark: number | null;
  /** a sentence for the caption when the chart is not the whole run, e.g. "Distribution from replication 1 (seed …)." */
  note?: string;
  /** each exercise's cutoff (lowest allotted score); null when nobody was allotted */
  cutoffs: { exercise: string; score: number | null }[];
}

export interface WaitHistogram {
  binWidth: number;
  note?: string;
  bins: HistogramBin[];
  groups?: string[];
}

/** Per quarter (one selection exercise per quarter by default). With replications, values are means. */
export interface QuarterRow {
  /** e.g. "2019Q3" */
  quarter: string;
  /** false when no selection exercise was held this quarter (e.g. two exercises a year) */
  exercise?: boolean;
  arrivals?: number;
  assessed?: number;
  passed?: number;
  /** applications waiting for assessment or selection at the end of the quarter */
  backlog: number;
  /** null = unlimited */
  quota: number | null;
  allotted: number;
  /** lowest allotted score; null when nobody was allotted */
  cutoff: number | null;
  personsAdmitted?: number;
  medianWaitDays?: number | null;
  cutoffCi?: Interval;
  backlogCi?: Interval;
  allottedCi?: Interval;
}

export interface CohortShareRow {
  category: string;
  applicants: number;
  allotted: number;
  /** CI of the allotted share (0–1), with replications */
  allottedShareCi?: Interval;
}

export interface CohortComparison {
  /** "age band", "sector", "region", "education", ... */
  dimension: string;
  rows: CohortShareRow[];
}

/** After allotment: what happened to the allotted principals (src/residence), to the horizon. */
export interface ResidenceReport {
  allotted: number;
  arrived: number;
  /** in Hong Kong 7 years after their allotment; null when that is beyond the horizon */
  inHkAfter7y: number | null;
  permanentResidents: number;
  /** principals with their dependants in Hong Kong at the horizon */
  personsInHkEnd: number;
  /** with replications: 95 % CIs */
  ci?: Partial<Record<"arrived" | "inHkAfter7y" | "permanentResidents" | "personsInHkEnd", Interval>>;
  /** last day simulated, ISO */
  horizonEnd: string;
  /** share of each allotment-year cohort in Hong Kong by whole years since allotment */
  survival: { cohort: string; years: number; share: number }[];
  /** principals in each state at the end of each quarter (means with replications) */
  stock: { quarter: string; state: string; principals: number }[];
  /** e.g. "Survival from replication 1 of 30 (seed …)." */
  note?: string;
}

/** One published figure beside what the replications simulated (validate). */
export interface ValidationFigureRow {
  figure: string;
  period: string;
  metric: string;
  published: number;
  simulated: number | null;
  ci: Interval | null;
  /** 100 × (simulated − published) / published */
  gapPct: number | null;
  confidence: string;
  source: string;
}

/** The "published vs simulated" section of a validation report. */
export interface ValidationModel {
  /** allotted per calendar year over the replications (mean, 95 % CI), with the published total where there is one */
  annual: { year: string; mean: number; ci: Interval | null; published: number | null }[];
  rows: ValidationFigureRow[];
  /** the gap within which a figure counts as reproduced, in percent */
  targetPct: number;
}

export interface RunReportModel {
  kind: "run";
  /** validate: published figures against the simulation */
  validation?: ValidationModel;
  scenario: ScenarioInfo;
  provenance: Provenance;
  headline: RunHeadline;
  /** with replications: 95 % CI of the headline figures */
  headlineCi?: Partial<Record<keyof RunHeadline, Interval>>;
  scores: ScoreHistogram;
  waits?: WaitHistogram;
  quarters: QuarterRow[];
  cohorts: CohortComparison[];
  /** after allotment (absent when the run has no residence pipeline) */
  residence?: ResidenceReport;
  /** files written beside the report, listed as relative links */
  files?: string[];
}

export interface CompareMetric {
  /** machine name, e.g. "allotted" */
  name: string;
  /** shown to people, e.g. "Allotted (whole run)" */
  label: string;
  baseline: number | null;
  reform: number | null;
  /** reform − baseline (mean of paired differences with replications) */
  difference: number | null;
  /** 95 % CI of the difference; null without replications */
  ci: Interval | null;
}

export interface CompareSeriesPoint {
  quarter: string;
  /** "baseline" or "reform" (the scenario names are in the model) */
  side: "baseline" | "reform";
  value: number | null;
  ci?: Interval;
}

export interface CompareReportModel {
  kind: "compare";
  baseline: ScenarioInfo;
  reform: ScenarioInfo;
  provenance: Provenance;
  /** parameters that differ, with their baseline (`before`) and reform (`after`) values */
  changedParameters: ParameterChange[];
  metrics: CompareMetric[];
  /** optional per-quarter series, e.g. cutoff score per quarter on both sides */
  series?: {
    metric: string;
    label: string;
    points: CompareSeriesPoint[] /** a count: axis from zero */;
    counts?: boolean;
  }[];
  files?: string[];
}

export interface SweepAxis {
  /** the varied key path, e.g. "selection.quota.per_year" */
  path: string;
  values: (string | number)[];
}

export interface SweepCellMetric {
  mean: number | null;
  ci?: Interval | null;
}

export interface SweepCell {
  /** value of each axis (by path) in this cell */
  coordinates: Record<string, string | number>;
  metrics: Record<string, SweepCellMetric>;
}

export interface SweepReportModel {
  kind: "sweep";
  scenario: ScenarioInfo;
  provenance: Provenance;
  axes: SweepAxis[];
  /** metrics available in the cells, in display order */
  metrics: { name: string; label: string }[];
  /** the metric the chart shows (a name from `metrics`) */
  chosenMetric: string;
  cells: SweepCell[];
  files?: string[];
}

export type ReportModel = RunReportModel | CompareReportModel | SweepReportModel;

/** A rendered report: one self-contained HTML page and a short Markdown summary. */
export interface RenderedReport {
  html: string;
  markdown: string;
}
