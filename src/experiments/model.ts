import { pathToFileURL } from "node:url";
import {
  type DistributionSpec,
  loadDistributionSpec,
  parseDistributionSpec,
} from "../applicants/generate/index.js";
import { formatQuarter } from "../dates.js";
import { compiledModulePath } from "../paths.js";
import {
  type LoadedResidenceData,
  loadResidenceData,
  RESIDENCE_COLUMNS,
  type ResidenceResult,
  residenceFigure,
  residenceQuarters,
  residenceTotals,
} from "../residence/index.js";
import { RuleBook } from "../rules/book.js";
import { loadRuleBook, ruleBookFrom } from "../rules/load.js";
import type { RuleSet, TalentList } from "../rules/types.js";
import type { ResolvedScenario } from "../scenario/extends.js";
import type { Scenario } from "../scenario/schema.js";
import { COHORT_METRICS, cohortTable, ROUND_METRICS, summarizeRun } from "../simulation/metrics.js";
import { poolDateWarnings } from "../simulation/pool-dates.js";
import { loadScenarioInputs, runScenario, type ScenarioInputs } from "../simulation/run.js";
import type { RunResult } from "../simulation/timeline.js";
import { figureValue } from "../validation/figures.js";
import type { PublishedFigure } from "../validation/published.js";
import type { MetricTable, RunMetrics } from "./metrics.js";
import type { Model, ModelModule } from "./workers.js";

/**
 * The model of an experiment: one run of the selection engine (src/simulation) with a given seed,
 * reduced to the tables of its report: `run` (whole-run totals), `rounds` (rounds.csv, one row per
 * quarter) and `cohort` (cohort.csv, one row per dimension and group). Inputs are loaded once per
 * unit: the rule book (rebuilt when overrides changed it), the spec, or the CSV pool and its scores.
 */
export async function prepareModel(unit: ResolvedScenario, dataDir: string): Promise<Model> {
  const scenario = unit.scenario as unknown as Scenario;
  const inputs = await unitInputs(unit, dataDir);
  const figures = (unit as ValidationUnit).figures;
  if (!figures)
    return (seed) => {
      const run = runScenario(scenario, inputs, { seed });
      return runMetrics(run.result, run.residence);
    };
  return (seed) => {
    const run = runScenario(scenario, inputs, { seed });
    return [...runMetrics(run.result, run.residence), figuresTable(figures, run.result, run.residence)];
  };
}

/** A unit of `qmas-sim validate`: a scenario with the published figures its runs are compared with. */
export interface ValidationUnit extends ResolvedScenario {
  figures?: PublishedFigure[];
}

/**
 * One row per published figure the run covers: its simulated value (the `figures` table). Figures
 * after allotment (arrivals, extensions…) are the residence pipeline's (residenceFigure).
 */
export function figuresTable(
  figures: readonly PublishedFigure[],
  result: RunResult,
  residence?: ResidenceResult,
): MetricTable {
  const rows: (string | number | null)[][] = [];
  for (const f of figures) {
    const v =
      figureValue(f, result) ?? (residence ? residenceFigure(f.metric, f.period, residence) : undefined);
    if (v !== undefined) rows.push([f.id, Number.isFinite(v) ? v : null]);
  }
  return { name: "figures", keyColumns: ["figure"], metricColumns: ["simulated"], rows };
}

/**
 * What one run of the unit reads: the rule book (rebuilt when overrides changed it, else this thread's
 * shared one), the spec (likewise) or the CSV pool. The report of an experiment runs its first
 * replication again through this, without reading and validating the YAML files once more.
 */
export async function unitInputs(unit: ResolvedScenario, dataDir: string): Promise<ScenarioInputs> {
  const scenario = unit.scenario as unknown as Scenario;
  const { ownRules, sharedSpecId } = dataFilesOf(unit);
  const ruleBook = ownRules
    ? ruleBookFrom(unit.rules!.ruleSets, unit.rules!.talentLists)
    : sharedRuleBook(dataDir);
  const spec = unit.spec
    ? parseDistributionSpec(unit.spec, `${unit.name} (spec after overrides)`)
    : sharedSpecId === undefined
      ? undefined
      : sharedSpec(sharedSpecId, dataDir);
  const residence = scenario.residence?.enabled
    ? sharedResidence(scenario.residence.data, dataDir)
    : undefined;
  const inputs = await loadScenarioInputs(scenario, {
    dataDir,
    ruleBook,
    spec,
    ...(residence ? { residenceData: residence } : {}),
    loadSpec: (id) => sharedSpec(id, dataDir),
  });
  // a CSV pool whose dates would stretch a run beyond the quarter limit is refused here too (its
  // warnings are `run`'s: an experiment's threads would repeat them)
  if (inputs.csv) poolDateWarnings(String(scenario.pool.csv), inputs.csv.pool, scenario.period);
  return inputs;
}

/** Whether the unit brings its own rules (overrides changed them), and the spec it reads unchanged from the data folder. */
function dataFilesOf(unit: ResolvedScenario): { ownRules: boolean; sharedSpecId: string | undefined } {
  const specId = ((unit.scenario as unknown as Scenario).pool as { spec?: string }).spec;
  return {
    ownRules: unit.rules !== null && unit.rules !== undefined,
    sharedSpecId: unit.spec ? undefined : specId,
  };
}

/** The specs a unit's timeline switches to (read unchanged from the data folder). */
function datedSpecIds(unit: ResolvedScenario): string[] {
  const timeline = (unit.scenario as unknown as Scenario).timeline ?? [];
  return timeline.map((e) => e.set["pool.spec"]).filter((id): id is string => typeof id === "string");
}

// The data files as they are, loaded once per thread and shared by every unit that does not change
// them (the cells of a sweep over quotas all use the same book and spec). Both are read-only.
const books = new Map<string, RuleBook>();
const specs = new Map<string, DistributionSpec>();

export function sharedRuleBook(dataDir: string): RuleBook {
  let book = books.get(dataDir);
  if (!book) {
    book = loadRuleBook(dataDir);
    books.set(dataDir, book);
  }
  return book;
}

function sharedSpec(idOrPath: string, dataDir: string): DistributionSpec {
  const key = specKey(idOrPath, dataDir);
  let spec = specs.get(key);
  if (!spec) {
    spec = loadDistributionSpec(idOrPath, dataDir);
    specs.set(key, spec);
  }
  return spec;
}

const specKey = (idOrPath: string, dataDir: string) => `${dataDir}\u0000${idOrPath}`;

// residence data files, likewise loaded once per thread (and shared with workers)
const residences = new Map<string, LoadedResidenceData>();

function sharedResidence(idOrPath: string, dataDir: string): LoadedResidenceData {
  const key = specKey(idOrPath, dataDir);
  let loaded = residences.get(key);
  if (!loaded) {
    loaded = loadResidenceData(idOrPath, dataDir);
    residences.set(key, loaded);
  }
  return loaded;
}

/**
 * The rule book and specs an experiment's units read unchanged, as this thread loaded them, for its
 * worker threads (structured-cloned into each). A worker adopts them instead of reading and validating
 * the YAML again (≈0.2 s and the YAML parser's compilation per worker), so every thread runs with the
 * same rules and specs even if one of those files is edited meanwhile. (A CSV pool is still read by
 * each thread.)
 */
export interface SharedInputs {
  dataDir: string;
  /** the data folder's rule book (when a unit uses it unchanged) */
  book?: { ruleSets: RuleSet[]; talentLists: TalentList[] };
  /** the specs units use unchanged, by id or path */
  specs: [string, DistributionSpec][];
  /** the residence data files units use, by id or path */
  residence?: [string, LoadedResidenceData][];
}

export function shareInputs(units: readonly ResolvedScenario[], dataDir: string): SharedInputs {
  const shared: SharedInputs = { dataDir, specs: [] };
  for (const unit of units) {
    const { ownRules, sharedSpecId } = dataFilesOf(unit);
    if (!ownRules && !shared.book) {
      const book = sharedRuleBook(dataDir);
      shared.book = { ruleSets: book.ruleSets, talentLists: book.talentLists };
    }
    const ids = [sharedSpecId, ...datedSpecIds(unit)];
    for (const id of ids)
      if (id !== undefined && !shared.specs.some(([known]) => known === id))
        shared.specs.push([id, sharedSpec(id, dataDir)]);
    const residence = (unit.scenario as unknown as Scenario).residence;
    if (residence?.enabled) {
      shared.residence ??= [];
      if (!shared.residence.some(([id]) => id === residence.data))
        shared.residence.push([residence.data, sharedResidence(residence.data, dataDir)]);
    }
  }
  return shared;
}

/** In a worker: take the inputs shareInputs() gave, as if this thread had loaded them itself. */
export function adoptInputs(shared: SharedInputs): void {
  // checked by the thread that loaded them: the book is rebuilt from the validated rule sets as they are
  if (shared.book && !books.has(shared.dataDir))
    books.set(shared.dataDir, new RuleBook(shared.book.ruleSets, shared.book.talentLists));
  for (const [id, spec] of shared.specs)
    if (!specs.has(specKey(id, shared.dataDir))) specs.set(specKey(id, shared.dataDir), spec);
  for (const [id, loaded] of shared.residence ?? [])
    if (!residences.has(specKey(id, shared.dataDir))) residences.set(specKey(id, shared.dataDir), loaded);
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * The residence figures that join the whole-run table (so they get CIs, comparisons and sweep columns
 * like every run metric), all at the horizon except in_hk_after_7y (7 years after each allotment).
 */
export function residenceRunMetrics(r: ResidenceResult): Record<string, number> {
  const t = residenceTotals(r);
  return {
    arrived: t.arrived,
    never_arrived: t.never_arrived,
    in_hk_after_7y: t.in_hk_after_7y,
    permanent_residents: t.permanent_residents,
    in_hk_end: t.in_hk,
    left_hk_end: t.left_hk,
    persons_in_hk_end: t.persons_in_hk,
    persons_permanent_residents: t.persons_permanent_residents,
  };
}

/** Per-year stock metrics of the `residence` table (allotted_to_date is their sum). */
const STOCK_METRICS = RESIDENCE_COLUMNS.slice(2) as Exclude<
  (typeof RESIDENCE_COLUMNS)[number],
  "quarter" | "allotted_to_date"
>[];

export function runMetrics(result: RunResult, residence?: ResidenceResult): RunMetrics {
  const totals: Record<string, number> = {
    ...summarizeRun(result),
    ...(residence ? residenceRunMetrics(residence) : {}),
  };
  const run: MetricTable = {
    name: "run",
    keyColumns: [],
    metricColumns: Object.keys(totals),
    rows: [Object.values(totals).map(finite)],
  };
  const rounds: MetricTable = {
    name: "rounds",
    keyColumns: ["quarter"],
    metricColumns: [...ROUND_METRICS],
    rows: result.rounds.map((r) => [formatQuarter(r.quarter), ...ROUND_METRICS.map((m) => finite(r[m]))]),
  };
  const cohort: MetricTable = {
    name: "cohort",
    keyColumns: ["dimension", "group"],
    metricColumns: [...COHORT_METRICS],
    rows: cohortTable(result).map((c) => [c.dimension, c.group, ...COHORT_METRICS.map((m) => finite(c[m]))]),
    // cohort.csv lists only the regions and sectors someone applied from: an absent group had no
    // applicants, so its counts and shares are 0 (its allotment rate stays undefined)
    absentAsZero: COHORT_METRICS.filter((m) => m !== "allotment_rate"),
  };
  if (!residence) return [run, rounds, cohort];
  // the stock of principals by state (and persons in Hong Kong) at the end of each year and of the
  // horizon: year ends keep a replication's metric count small (every quarter doubled it)
  const quarters = residenceQuarters(residence);
  const stock: MetricTable = {
    name: "residence",
    keyColumns: ["quarter"],
    metricColumns: [...STOCK_METRICS],
    rows: quarters
      .filter((q, k) => q.quarter % 4 === 3 || k === quarters.length - 1)
      .map((q) => [formatQuarter(q.quarter), ...STOCK_METRICS.map((c) => q[c])]),
  };
  return [run, rounds, cohort, stock];
}

/** This module as worker threads load it (compiled JavaScript, also when the sources run under a test runner). */
export function modelModuleUrl(): string {
  return pathToFileURL(compiledModulePath(import.meta.url, "model.js")).href;
}

// this module is what worker threads load as their model (workers.ts): checked against that contract
({ prepareModel, shareInputs, adoptInputs }) satisfies ModelModule<SharedInputs>;
