import {
  formatIsoDay,
  formatQuarter,
  parseIsoDay,
  quarterOfDay,
  quarterStartDay,
  SCHEME_OPENED_ON,
} from "../dates.js";
import { QmasError } from "../errors.js";
import { packageVersion } from "../paths.js";
import { binValues, niceBinWidth } from "../report/html/binning.js";
import { STATE_LABELS } from "../report/html/charts.js";
import type {
  CohortComparison,
  CompareMetric,
  CompareReportModel,
  CompareSeriesPoint,
  Interval,
  ParameterChange,
  QuarterRow,
  ResidenceReport,
  RuleSetRef,
  RunReportModel,
  ScenarioInfo,
  SweepCell,
  SweepReportModel,
  ValidationModel,
} from "../report/html/models.js";
import { type WrittenReport, writeReport } from "../report/html/write.js";
import {
  RESIDENCE_STATES,
  type ResidenceResult,
  residenceCohorts,
  residenceQuarters,
  residenceTotals,
} from "../residence/index.js";
import type { RuleSet } from "../rules/types.js";
import { formatValue } from "../scenario/diff.js";
import type { ResolvedScenario } from "../scenario/extends.js";
import type { Scenario } from "../scenario/schema.js";
import { cohortTable, median, summarizeRun } from "../simulation/metrics.js";
import { runScenario, type ScenarioRun } from "../simulation/run.js";
import {
  ALLOTTED,
  NOT_SELECTED,
  PENDING,
  REFUSED_BELOW_PASS_MARK,
  REFUSED_PREREQUISITES,
  WITHDRAWN,
} from "../simulation/timeline.js";
import { TARGET_GAP_PCT, type ValidationRow } from "../validation/table.js";
import { changedParameters } from "./changes.js";
import type { ExperimentReport, ExperimentRun } from "./experiment.js";
import type { ExperimentSpec } from "./manifest.js";
import { compareSeries, type MetricSeries, type MetricSummary, summarizeSeries } from "./metrics.js";
import { sharedRuleBook, unitInputs } from "./model.js";
import { resolveScenario } from "./resolve.js";
import { summarizeValues } from "./stats.js";

/**
 * From the engine's and the experiments' results to the report models: everything the reports show is
 * computed here, before rendering; the renderer (src/report/html) only receives these models. This is
 * the only file that knows both the shapes of RunResult, ScenarioRun and ExperimentReport and the
 * report models.
 */

/** Outcome groups of the histograms, in stacking order (bottom first). */
const OUTCOMES = [
  "allotted",
  "passed, not allotted",
  "passed, still waiting",
  "withdrawn",
  "below pass mark",
  "refused (prerequisites)",
] as const;
function outcomeIndex(decision: number): number {
  switch (decision) {
    case ALLOTTED:
      return 0;
    case NOT_SELECTED:
      return 1;
    case PENDING:
      return 2;
    case WITHDRAWN:
      return 3;
    case REFUSED_BELOW_PASS_MARK:
      return 4;
    case REFUSED_PREREQUISITES:
      return 5;
    default:
      return -1;
  }
}

/** The cohort dimensions the run report shows, with the names people read. */
const COHORT_DIMENSIONS: [string, string][] = [
  ["age_band", "age band"],
  ["sector", "sector"],
  ["region", "region"],
  ["education", "education"],
];

const WAIT_STEPS = [7, 15, 30, 45, 90, 180, 365];

function finiteOrNull(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

export function ruleSetRef(rs: RuleSet): RuleSetRef {
  return {
    id: rs.id,
    title: rs.title,
    effectiveFrom: rs.effective_from,
    effectiveTo: rs.effective_to,
    sources: rs.sources.map((s) => ({
      about: s.about,
      url: s.url,
      ...(s.confidence ? { confidence: s.confidence } : {}),
    })),
  };
}

function periodText(firstQuarter: number, quarters: number): string {
  return `quarters ${formatQuarter(firstQuarter)}–${formatQuarter(firstQuarter + quarters - 1)}`;
}

/**
 * What a scenario is and what it changes relative to the scenario it extends (resolved again here,
 * so the table shows both values). When the parent cannot be resolved, the overrides are listed with
 * their new values only.
 */
export function scenarioInfoOf(unit: ResolvedScenario, dataDir = "data"): ScenarioInfo {
  const description = unit.question || String(unit.scenario["description"] ?? "");
  const parentFile = unit.chain[1];
  if (parentFile === undefined) return { name: unit.name, description, extends: null, changes: [] };
  let changes: ParameterChange[];
  try {
    const parent = resolveScenario(parentFile, { dataDir });
    changes = changedParameters(parent, unit, dataDir).map((c) => ({
      path: c.path,
      before: c.from === undefined ? null : formatValue(c.from),
      after: c.to === undefined ? null : formatValue(c.to),
    }));
  } catch (err) {
    if (!(err instanceof QmasError)) throw err;
    changes = unit.overrides.map((o) => ({ path: o.path, before: null, after: formatValue(o.value) }));
  }
  return { name: unit.name, description, extends: parentFile, changes };
}

function scenarioInfoOfRun(
  run: ScenarioRun,
  unit: ResolvedScenario | undefined,
  dataDir: string,
): ScenarioInfo {
  if (unit) return scenarioInfoOf(unit, dataDir);
  return { name: run.scenario.name, description: run.scenario.description, extends: null, changes: [] };
}

/**
 * The scale the score histogram uses. Points and criteria counts cannot share an axis: a run that
 * spans the 2024 switch shows the kind most assessed applications had, and says how many it leaves out.
 */
function scoreScale(scenario: Scenario, used: RuleSet[], run: ScenarioRun) {
  const r = run.result;
  const apps = r.apps;
  let points = 0;
  let criteria = 0;
  for (let i = 0; i < apps.size; i++) {
    if (r.assessmentQuarter[i]! < 0) continue;
    if (used[apps.ruleSet[i]!]!.kind === "points") points++;
    else criteria++;
  }
  const kind: RuleSet["kind"] = points >= criteria ? "points" : "criteria";
  const excluded = kind === "points" ? criteria : points;
  const first = used.find((rs) => rs.kind === kind);
  let passMark: number | null = null;
  if (first?.kind === "points") passMark = scenario.pass_mark ?? first.pass.min_total;
  if (first?.kind === "criteria") passMark = first.pass.min_criteria;
  const note =
    excluded === 0
      ? undefined
      : `${excluded.toLocaleString("en-US")} assessed applications under ${kind === "points" ? "the criteria regime (scored in criteria met)" : "a points rule set"} are left out of this chart.`;
  return {
    kind,
    passMark,
    unit: kind === "points" ? "points" : "criteria met",
    binWidth: kind === "points" ? 5 : 1,
    note,
  };
}

export interface RunModelOptions {
  /** the resolved scenario (for `extends` and what it changes) */
  unit?: ResolvedScenario;
  dataDir?: string;
  /** files beside the report (relative names) */
  files?: string[];
}

/** A single run as a report model: distributions, quarters and cohorts straight from the RunResult. */
export function runReportModel(run: ScenarioRun, opts: RunModelOptions = {}): RunReportModel {
  const dataDir = opts.dataDir ?? "data";
  const r = run.result;
  const apps = r.apps;
  const used = apps.ruleSetIds.map((id) => run.inputs.ruleBook.get(id));
  const totals = summarizeRun(r);
  const scale = scoreScale(run.scenario, used, run);
  const { passMark, unit, binWidth } = scale;

  const scoreBins = binValues(
    apps.size,
    (i) => apps.total[i]!,
    (i) =>
      r.assessmentQuarter[i]! >= 0 && used[apps.ruleSet[i]!]!.kind === scale.kind
        ? outcomeIndex(r.decision[i]!)
        : -1,
    OUTCOMES,
    binWidth,
  );
  let maxWait = 0;
  for (let i = 0; i < apps.size; i++) if (r.waitDays[i]! > maxWait) maxWait = r.waitDays[i]!;
  const waitWidth = niceBinWidth(maxWait, 36, WAIT_STEPS);
  const waitBins = binValues(
    apps.size,
    (i) => r.waitDays[i]!,
    (i) => (r.waitDays[i]! >= 0 ? outcomeIndex(r.decision[i]!) : -1),
    OUTCOMES,
    waitWidth,
  );

  // median wait of the applications allotted in each quarter
  const allottedWaits: number[][] = r.rounds.map(() => []);
  for (let i = 0; i < apps.size; i++) {
    if (r.decision[i] === ALLOTTED && r.decisionQuarter[i]! >= 0)
      allottedWaits[r.decisionQuarter[i]!]?.push(r.waitDays[i]!);
  }
  const quarters: QuarterRow[] = r.rounds.map((m, k) => ({
    quarter: formatQuarter(m.quarter),
    exercise: m.exercise,
    arrivals: m.arrivals,
    assessed: m.assessed,
    passed: m.passed,
    backlog: m.backlog,
    quota: finiteOrNull(m.quota),
    allotted: m.allotted,
    cutoff: finiteOrNull(m.cutoff_score),
    personsAdmitted: m.persons_admitted,
    medianWaitDays: finiteOrNull(median(allottedWaits[k]!)),
  }));

  const rows = cohortTable(r);
  const cohorts: CohortComparison[] = COHORT_DIMENSIONS.map(([dim, label]) => ({
    dimension: label,
    rows: rows
      .filter((c) => c.dimension === dim)
      .map((c) => ({ category: c.group, applicants: c.applications, allotted: c.allotted })),
  }));

  return {
    kind: "run",
    scenario: scenarioInfoOfRun(run, opts.unit, dataDir),
    provenance: {
      seed: run.seed,
      packageVersion: packageVersion(),
      ruleSets: used.map(ruleSetRef),
      replications: 1,
      period: periodText(r.policy.firstQuarter, r.policy.quarters),
    },
    headline: {
      applications: totals.applications,
      assessed: apps.size - countOf(r.assessmentQuarter, (q) => q < 0),
      passed: r.rounds.reduce((s, m) => s + m.passed, 0),
      allotted: totals.allotted,
      personsAdmitted: totals.persons_admitted,
      medianCutoff: finiteOrNull(totals.median_cutoff_score),
      medianWaitDays: finiteOrNull(totals.median_wait_days_allotted),
    },
    scores: {
      unit,
      binWidth,
      bins: scoreBins,
      groups: [...OUTCOMES],
      passMark,
      ...(scale.note ? { note: scale.note } : {}),
      cutoffs: r.rounds
        .filter((m) => m.exercise)
        .map((m) => ({ exercise: formatQuarter(m.quarter), score: finiteOrNull(m.cutoff_score) })),
    },
    waits: { binWidth: waitWidth, bins: waitBins, groups: [...OUTCOMES] },
    quarters,
    cohorts,
    ...(run.residence ? { residence: residenceReportOf(run.residence) } : {}),
    files: opts.files ?? [
      "decisions.csv",
      "rounds.csv",
      "cohort.csv",
      ...(run.residence ? ["residence.csv", "cohorts.csv"] : []),
      "manifest.json",
      "summary.md",
    ],
  };
}

/** A run's residence pipeline for the report: headline counts, survival by cohort, stock by state. */
export function residenceReportOf(r: ResidenceResult): ResidenceReport {
  const totals = residenceTotals(r);
  const cohorts = residenceCohorts(r);
  const anyAt7 = cohorts.some((c) => !Number.isNaN(c.in_hk_after_7y));
  return {
    allotted: r.paths.principals.count,
    arrived: totals.arrived,
    inHkAfter7y: anyAt7 ? totals.in_hk_after_7y : null,
    permanentResidents: totals.permanent_residents,
    personsInHkEnd: totals.persons_in_hk,
    horizonEnd: formatIsoDay(r.horizonEndDay),
    survival: cohorts.flatMap((c) =>
      c.survival.map((share, years) => ({ cohort: String(c.year), years, share })),
    ),
    stock: residenceQuarters(r).flatMap((q) =>
      RESIDENCE_STATES.map((state) => ({
        quarter: formatQuarter(q.quarter),
        state: STATE_LABELS[state]!,
        principals: q[state],
      })),
    ),
  };
}

/** The residence part of a replicated report: means and CIs of the replications, survival from the first. */
function replicatedResidence(
  single: ResidenceReport,
  s: Summaries,
  count: number,
  firstSeed: string,
): ResidenceReport {
  const mean = (metric: string) => s.mean("run", "all", metric) ?? 0;
  const ci: NonNullable<ResidenceReport["ci"]> = {};
  for (const [field, metric] of [
    ["arrived", "arrived"],
    ["inHkAfter7y", "in_hk_after_7y"],
    ["permanentResidents", "permanent_residents"],
    ["personsInHkEnd", "persons_in_hk_end"],
  ] as const) {
    const c = s.ci("run", "all", metric);
    if (c) ci[field] = c;
  }
  const quarters = s.keys.get("residence") ?? [];
  return {
    ...single,
    allotted: mean("allotted"),
    arrived: mean("arrived"),
    inHkAfter7y: single.inHkAfter7y === null ? null : mean("in_hk_after_7y"),
    permanentResidents: mean("permanent_residents"),
    personsInHkEnd: mean("persons_in_hk_end"),
    ci,
    stock: quarters.flatMap((q) =>
      RESIDENCE_STATES.map((state) => ({
        quarter: q,
        state: STATE_LABELS[state]!,
        principals: s.mean("residence", q, state) ?? 0,
      })),
    ),
    note: `Survival from replication 1 of ${count} (seed ${firstSeed}); the stock is the mean over the replications.`,
  };
}

function countOf(values: ArrayLike<number>, pred: (v: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (pred(values[i]!)) n++;
  return n;
}

/** Summaries of one unit's replications, looked up by table, row key and metric. */
class Summaries {
  private readonly byId = new Map<string, MetricSummary>();
  readonly keys = new Map<string, string[]>();
  constructor(summaries: readonly MetricSummary[]) {
    for (const s of summaries) {
      this.byId.set(`${s.table}\u0000${s.key}\u0000${s.metric}`, s);
      const keys = this.keys.get(s.table) ?? [];
      if (!keys.includes(s.key)) keys.push(s.key);
      this.keys.set(s.table, keys);
    }
  }
  get(table: string, key: string, metric: string): MetricSummary | undefined {
    return this.byId.get(`${table}\u0000${key}\u0000${metric}`);
  }
  mean(table: string, key: string, metric: string): number | null {
    return this.get(table, key, metric)?.mean ?? null;
  }
  ci(table: string, key: string, metric: string): Interval | undefined {
    const s = this.get(table, key, metric);
    return s && s.ciLow !== null && s.ciHigh !== null ? { lo: s.ciLow, hi: s.ciHigh } : undefined;
  }
}

function withCi<T extends object>(row: T, key: string, ci: Interval | undefined): T {
  return ci ? { ...row, [key]: ci } : row;
}

/** The rule sets a scenario can have used: its forced rule set, or those in force during its period. */
function ruleSetsOfUnit(unit: ResolvedScenario, dataDir: string): RuleSet[] {
  const all = unit.rules?.ruleSets ?? sharedRuleBook(dataDir).ruleSets;
  const scenario = unit.scenario as unknown as Scenario;
  if (scenario.rules !== "auto") return all.filter((r) => r.id === scenario.rules);
  if (!scenario.period) return all;
  const from = parseIsoDay(scenario.period.from);
  const to = quarterStartDay(quarterOfDay(from) + scenario.period.quarters);
  return all.filter(
    (r) =>
      parseIsoDay(r.effective_from) < to && (r.effective_to === null || parseIsoDay(r.effective_to) > from),
  );
}

/**
 * Replications of one scenario (`qmas-sim run --replications N` / the experiments' replicate
 * command): headline, quarters and cohorts are means with 95 % CIs over the replications; the score
 * and wait distributions come from replication 1, run once more here (the replications keep only
 * their metric tables).
 */
export async function replicationReportModel(
  source: ExperimentReport | ExperimentHtmlInput,
  opts: { dataDir?: string } = {},
): Promise<RunReportModel> {
  const report = inputOf(source);
  const dataDir = opts.dataDir ?? report.dataDir ?? "data";
  const unit = report.run.units[0]!;
  const scenario = unit.scenario as unknown as Scenario;
  const inputs = await unitInputs(unit, dataDir);
  const first = runScenario(scenario, inputs, { seed: report.run.seeds[0]! });
  const files = [...report.files, "report.html", "summary.md"]
    .filter((f, i, all) => all.indexOf(f) === i)
    .sort();
  const single = runReportModel(first, { unit, dataDir, files });
  return replicatedModel(
    single,
    report.run.series[0]!,
    report.run.masterSeed,
    report.run.seeds.length,
    report.run.seeds[0]!,
  );
}

/** Replace a single run's figures by the means and CIs of the replications' metric series. */
export function replicatedModel(
  single: RunReportModel,
  series: readonly MetricSeries[],
  masterSeed: string,
  count: number,
  firstSeed: string,
): RunReportModel {
  const s = new Summaries(summarizeSeries(series));
  const num = (v: number | null) => v ?? 0;
  const quarterKeys = s.keys.get("rounds") ?? [];
  const exerciseByQuarter = new Map(single.quarters.map((q) => [q.quarter, q.exercise]));
  const quarters: QuarterRow[] = quarterKeys.map((q) => {
    let row: QuarterRow = {
      quarter: q,
      ...(exerciseByQuarter.has(q) ? { exercise: exerciseByQuarter.get(q)! } : {}),
      arrivals: num(s.mean("rounds", q, "arrivals")),
      assessed: num(s.mean("rounds", q, "assessed")),
      passed: num(s.mean("rounds", q, "passed")),
      backlog: num(s.mean("rounds", q, "backlog")),
      quota: s.mean("rounds", q, "quota"),
      allotted: num(s.mean("rounds", q, "allotted")),
      cutoff: s.mean("rounds", q, "cutoff_score"),
      personsAdmitted: num(s.mean("rounds", q, "persons_admitted")),
    };
    row = withCi(row, "cutoffCi", s.ci("rounds", q, "cutoff_score"));
    row = withCi(row, "backlogCi", s.ci("rounds", q, "backlog"));
    row = withCi(row, "allottedCi", s.ci("rounds", q, "allotted"));
    return row;
  });
  const cohortKeys = s.keys.get("cohort") ?? [];
  const cohorts: CohortComparison[] = COHORT_DIMENSIONS.map(([dim, label]) => ({
    dimension: label,
    rows: cohortKeys
      .filter((k) => k.startsWith(`${dim}:`))
      .map((k) =>
        withCi(
          {
            category: k.slice(dim.length + 1),
            applicants: num(s.mean("cohort", k, "applications")),
            allotted: num(s.mean("cohort", k, "allotted")),
          },
          "allottedShareCi",
          s.ci("cohort", k, "share_of_allotted"),
        ),
      ),
  }));
  const run = (metric: string) => s.mean("run", "all", metric);
  const ci = (metric: string) => s.ci("run", "all", metric);
  const headlineCi: RunReportModel["headlineCi"] = {};
  for (const [field, metric] of [
    ["applications", "applications"],
    ["allotted", "allotted"],
    ["personsAdmitted", "persons_admitted"],
    ["medianCutoff", "median_cutoff_score"],
    ["medianWaitDays", "median_wait_days_allotted"],
  ] as const) {
    const c = ci(metric);
    if (c) headlineCi[field] = c;
  }
  const note = `Distribution from replication 1 of ${count} (seed ${firstSeed}).`;
  return {
    ...single,
    provenance: { ...single.provenance, seed: masterSeed, replications: count },
    headline: {
      applications: num(run("applications")),
      allotted: num(run("allotted")),
      personsAdmitted: num(run("persons_admitted")),
      medianCutoff: run("median_cutoff_score"),
      medianWaitDays: run("median_wait_days_allotted"),
    },
    headlineCi,
    scores: { ...single.scores, note: single.scores.note ? `${note} ${single.scores.note}` : note },
    ...(single.waits ? { waits: { ...single.waits, note } } : {}),
    quarters,
    cohorts,
    ...(single.residence ? { residence: replicatedResidence(single.residence, s, count, firstSeed) } : {}),
  };
}

/**
 * What the experiment reports need: the folder, the files written so far, the replications' results
 * and the experiment as asked for. `writeExperimentReport` has all of it before it writes manifest.json,
 * so report.html and summary.md can be listed among the manifest's outputs.
 */
export interface ExperimentHtmlInput {
  outDir: string;
  files: readonly string[];
  run: ExperimentRun;
  spec: ExperimentSpec;
  dataDir?: string;
  /** validate: the published figures with their simulated values */
  validation?: ValidationRow[];
}

/** The input from a finished ExperimentReport (its manifest holds the spec and data folder). */
export function experimentHtmlInput(report: ExperimentReport): ExperimentHtmlInput {
  return {
    outDir: report.outDir,
    files: report.files,
    run: report.run,
    spec: report.manifest.experiment,
    dataDir: report.manifest.experiment.data_dir,
    ...(report.validation ? { validation: report.validation } : {}),
  };
}

function inputOf(x: ExperimentReport | ExperimentHtmlInput): ExperimentHtmlInput {
  return "manifest" in x ? experimentHtmlInput(x) : x;
}

/** Whole-run metrics of the comparison and sweep reports, with the labels people read. */
export const RUN_METRIC_LABELS: [string, string][] = [
  ["applications", "Applications"],
  ["allotted", "Allotted"],
  ["persons_admitted", "Persons admitted"],
  ["median_cutoff_score", "Median cutoff score"],
  ["median_wait_days_allotted", "Median wait of the allotted (days)"],
  ["median_wait_days", "Median wait of all decided (days)"],
  ["not_selected", "Passed, not selected"],
  ["refused_below_pass_mark", "Below the pass mark"],
  ["refused_prerequisites", "Refused on prerequisites"],
  ["withdrawn", "Withdrawn"],
  ["pending", "Still pending at the end"],
  ["quota_offered", "Quota offered"],
  ["arrived", "Principals who arrived"],
  ["in_hk_after_7y", "In Hong Kong 7 years after allotment"],
  ["permanent_residents", "Permanent residents (principals)"],
  ["persons_in_hk_end", "Persons in Hong Kong at the horizon"],
];

function sharedProvenance(report: ExperimentHtmlInput, dataDir: string, units: ResolvedScenario[]) {
  const seen = new Map<string, RuleSet>();
  for (const u of units)
    for (const rs of ruleSetsOfUnit(u, dataDir)) if (!seen.has(rs.id)) seen.set(rs.id, rs);
  const scenario = units[0]!.scenario as unknown as Scenario;
  return {
    seed: report.run.masterSeed,
    packageVersion: packageVersion(),
    ruleSets: [...seen.values()].map(ruleSetRef),
    replications: report.run.seeds.length,
    ...(scenario.period
      ? { period: periodText(quarterOfDay(parseIsoDay(scenario.period.from)), scenario.period.quarters) }
      : {}),
  };
}

function reportFiles(report: ExperimentHtmlInput): string[] {
  return [...report.files, "report.html", "summary.md"].filter((f, i, all) => all.indexOf(f) === i).sort();
}

/** A comparison (`qmas-sim compare`): per metric baseline, reform, paired difference and its CI. */
export function compareReportModel(
  source: ExperimentReport | ExperimentHtmlInput,
  opts: { dataDir?: string } = {},
): CompareReportModel {
  const report = inputOf(source);
  const dataDir = opts.dataDir ?? report.dataDir ?? "data";
  const [base, reform] = report.run.units as [ResolvedScenario, ResolvedScenario];
  const comparisons = compareSeries(report.run.series[0]!, report.run.series[1]!);
  const byId = new Map(comparisons.map((c) => [`${c.table}\u0000${c.key}\u0000${c.metric}`, c]));
  const metrics: CompareMetric[] = RUN_METRIC_LABELS.flatMap(([name, label]) => {
    const c = byId.get(`run\u0000all\u0000${name}`);
    if (!c) return [];
    const ci =
      c.difference.ciLow !== null && c.difference.ciHigh !== null
        ? { lo: c.difference.ciLow, hi: c.difference.ciHigh }
        : null;
    return [
      { name, label, baseline: c.baseline.mean, reform: c.reform.mean, difference: c.difference.mean, ci },
    ];
  });
  const quarters = [...new Set(comparisons.filter((c) => c.table === "rounds").map((c) => c.key))];
  const series = (
    [
      ["cutoff_score", "Cutoff score", false],
      ["allotted", "Allotted", true],
      ["backlog", "Backlog", true],
    ] as const
  ).map(([metric, label, counts]) => ({
    metric,
    label,
    counts,
    points: quarters.flatMap((q): CompareSeriesPoint[] => {
      const c = byId.get(`rounds\u0000${q}\u0000${metric}`);
      if (!c) return [];
      return (["baseline", "reform"] as const).map((side) => {
        const sum = c[side];
        const point: CompareSeriesPoint = { quarter: q, side, value: sum.mean };
        return sum.ciLow !== null && sum.ciHigh !== null
          ? { ...point, ci: { lo: sum.ciLow, hi: sum.ciHigh } }
          : point;
      });
    }),
  }));
  const changed = changedParameters(base, reform, dataDir).map((c) => ({
    path: c.path,
    before: c.from === undefined ? null : formatValue(c.from),
    after: c.to === undefined ? null : formatValue(c.to),
  }));
  return {
    kind: "compare",
    baseline: scenarioInfoOf(base, dataDir),
    reform: scenarioInfoOf(reform, dataDir),
    provenance: sharedProvenance(report, dataDir, [base, reform]),
    changedParameters: changed,
    metrics,
    // a series that is 0 (or missing) throughout on both sides has nothing to show
    series: series.filter((s) => s.points.some((p) => p.value !== null && p.value !== 0)),
    files: reportFiles(report),
  };
}

function axisValue(v: unknown): string | number {
  return typeof v === "number" || typeof v === "string" ? v : formatValue(v);
}

/** Every combination of the varied values, the last --vary changing fastest (the experiments' cell order). */
function grid(vary: readonly { path: string; values: readonly unknown[] }[]): unknown[][] {
  let cells: unknown[][] = [[]];
  for (const v of vary) cells = cells.flatMap((cell) => v.values.map((value) => [...cell, value]));
  return cells;
}

/** A sweep (`qmas-sim sweep`): one cell per combination, whole-run metrics with CIs. */
export function sweepReportModel(
  source: ExperimentReport | ExperimentHtmlInput,
  opts: { dataDir?: string; metric?: string } = {},
): SweepReportModel {
  const report = inputOf(source);
  const spec = report.spec;
  if (spec.command !== "sweep")
    throw new Error(`sweepReportModel: a ${spec.command} experiment is not a sweep`);
  const dataDir = opts.dataDir ?? report.dataDir ?? "data";
  const cells: SweepCell[] = grid(spec.vary).map((values, i) => {
    const s = new Summaries(summarizeSeries(report.run.series[i]!));
    const metrics: SweepCell["metrics"] = {};
    for (const [name] of RUN_METRIC_LABELS) {
      const sum = s.get("run", "all", name);
      if (sum) metrics[name] = { mean: sum.mean, ci: s.ci("run", "all", name) ?? null };
    }
    return {
      coordinates: Object.fromEntries(spec.vary.map((v, k) => [v.path, axisValue(values[k])])),
      metrics,
    };
  });
  const base = resolveScenario(spec.scenario, { dataDir });
  const present = RUN_METRIC_LABELS.filter(([name]) => cells.some((c) => c.metrics[name] !== undefined));
  return {
    kind: "sweep",
    scenario: scenarioInfoOf(base, dataDir),
    provenance: sharedProvenance(report, dataDir, report.run.units),
    axes: spec.vary.map((v) => ({ path: v.path, values: v.values.map(axisValue) })),
    metrics: present.map(([name, label]) => ({ name, label })),
    chosenMetric: opts.metric ?? "median_cutoff_score",
    cells,
    files: reportFiles(report),
  };
}

/** Write report.html and summary.md of a single run into its output folder. */
export async function writeScenarioRunReport(
  dir: string,
  run: ScenarioRun,
  opts: RunModelOptions = {},
): Promise<WrittenReport> {
  return writeReport(dir, runReportModel(run, opts));
}

/** Write report.html and summary.md of an experiment (replicate, compare or sweep) into its folder. */
export async function writeExperimentHtmlReport(
  source: ExperimentReport | ExperimentHtmlInput,
  opts: { dataDir?: string; metric?: string } = {},
): Promise<WrittenReport> {
  const report = inputOf(source);
  const command = report.spec.command;
  const model =
    command === "replicate" || command === "validate"
      ? await replicationReportModel(report, opts)
      : command === "compare"
        ? compareReportModel(report, opts)
        : sweepReportModel(report, opts);
  if (command === "validate" && model.kind === "run")
    model.validation = validationModel(report.validation ?? [], report.run.series[0]!);
  return writeReport(report.outDir, model);
}

/**
 * The "published vs simulated" section: allotted per calendar year over the replications (sums of the
 * quarters' allotments, replication by replication), and each published figure with its simulated
 * mean and CI. A published yearly total is a figure of `allotted` whose period is one calendar year.
 */
export function validationModel(
  rows: readonly ValidationRow[],
  series: readonly MetricSeries[],
): ValidationModel {
  const byYear = new Map<string, (number | null)[][]>();
  for (const s of series) {
    if (s.table !== "rounds" || s.metric !== "allotted") continue;
    const year = s.key.slice(0, 4);
    byYear.set(year, [...(byYear.get(year) ?? []), s.values]);
  }
  const publishedYear = new Map<string, number>();
  for (const r of rows) {
    const [from, to] = r.period.split("..");
    if (r.metric !== "allotted" || !from || !to) continue;
    if (
      from.slice(0, 4) === to.slice(0, 4) &&
      to.endsWith("-12-31") &&
      (from.endsWith("-01-01") || from === SCHEME_OPENED_ON)
    )
      publishedYear.set(from.slice(0, 4), r.published);
  }
  const annual = [...byYear.entries()].map(([year, quarters]) => {
    const perReplication = quarters[0]!.map((_, r) => quarters.reduce((sum, q) => sum + (q[r] ?? 0), 0));
    const st = summarizeValues(perReplication);
    return {
      year,
      mean: st.mean ?? 0,
      ci: st.ciLow !== null && st.ciHigh !== null ? { lo: st.ciLow, hi: st.ciHigh } : null,
      published: publishedYear.get(year) ?? null,
    };
  });
  return {
    annual,
    rows: rows.map((r) => ({
      figure: r.figure,
      period: r.period,
      metric: r.metric,
      published: r.published,
      simulated: r.simulated,
      ci: r.ciLow !== null && r.ciHigh !== null ? { lo: r.ciLow, hi: r.ciHigh } : null,
      gapPct: r.gapPct,
      confidence: r.confidence,
      source: r.source,
    })),
    targetPct: TARGET_GAP_PCT,
  };
}
