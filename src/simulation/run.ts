import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readApplicantCsv } from "../applicants/csv/index.js";
import { type DistributionSpec, loadDistributionSpec } from "../applicants/generate/index.js";
import type { ApplicantPool } from "../applicants/pool.js";
import { parseIsoDay, quarterOfDay, quarterStartDay } from "../dates.js";
import { CsvFileError, ScenarioError } from "../errors.js";
import { sha256File } from "../file-hash.js";
import { resolveDataDir } from "../paths.js";
import { createRng, deriveSeed, randPoisson } from "../random.js";
import {
  type LoadedResidenceData,
  type ResidenceInputs,
  type ResidenceResult,
  residenceInputs,
} from "../residence/index.js";
import { scorePool } from "../rules/batch.js";
import type { RuleBook } from "../rules/book.js";
import { loadRuleBook } from "../rules/load.js";
import type { PoolScores } from "../rules/types.js";
import { quarterValues } from "../scenario/dated.js";
import type { Scenario } from "../scenario/schema.js";
import { isExerciseQuarter } from "../selection/quota.js";
import { type ArrivalTask, arrivalBatch, type ScoreOptions } from "./arrivals.js";
import { residenceOfRun } from "./residence.js";
import { Applications } from "./store.js";
import { type Policy, type QuarterPolicy, type RuleSetScale, type RunResult, simulate } from "./timeline.js";

/** Everything a scenario reads from disk, loaded once and reused by every replication. */
export interface ScenarioInputs {
  ruleBook: RuleBook;
  /** the distribution spec of a generated pool */
  spec?: DistributionSpec;
  /** the other specs a generated pool switches to by date (timeline `pool.spec`), by id or path */
  datedSpecs?: Map<string, DistributionSpec>;
  /** a CSV pool, read once, with its scores (scoring does not depend on the seed) */
  csv?: { pool: ApplicantPool; scores: PoolScores };
  /** after allotment: the residence data and plan (absent when the scenario turns residence off) */
  residence?: ResidenceInputs;
  /** files read, with their sha256, for the manifest */
  files: { path: string; sha256: string }[];
}

export interface LoadInputsOptions {
  /** folder holding rules/, talent-lists/ and distributions/ (default "data") */
  dataDir?: string;
  /** rule sets changed by scenario overrides (default: the data files) */
  ruleBook?: RuleBook;
  /** a spec changed by scenario overrides (default: the spec file the scenario names) */
  spec?: DistributionSpec;
  /** the residence data file, already read (default: read the file the scenario names) */
  residenceData?: LoadedResidenceData;
  /** how a spec named by the timeline is loaded (default: loadDistributionSpec from dataDir) */
  loadSpec?: (idOrPath: string) => DistributionSpec;
  /** files to hash into the manifest besides the ones loaded here (e.g. the scenario chain) */
  extraFiles?: string[];
}

function yamlFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(dir, f));
}

/** Load the rule book, the spec or CSV pool of a scenario, and hash every file read. */
export async function loadScenarioInputs(
  scenario: Scenario,
  opts: LoadInputsOptions = {},
): Promise<ScenarioInputs> {
  const dataDir = resolveDataDir(opts.dataDir ?? "data");
  const ruleBook = opts.ruleBook ?? loadRuleBook(dataDir);
  const files: string[] = [...(opts.extraFiles ?? [])];
  // The rule sets and Talent Lists are inputs too (when they come from the data files as they are).
  if (!opts.ruleBook)
    files.push(...yamlFilesIn(join(dataDir, "rules")), ...yamlFilesIn(join(dataDir, "talent-lists")));
  const inputs: ScenarioInputs = { ruleBook, files: [] };
  if (scenario.pool.spec !== undefined) {
    inputs.spec = opts.spec ?? loadDistributionSpec(scenario.pool.spec, dataDir);
    if (!opts.spec) files.push(inputs.spec.file);
    for (const entry of scenario.timeline) {
      const id = entry.set["pool.spec"];
      if (typeof id !== "string" || id === scenario.pool.spec || inputs.datedSpecs?.has(id)) continue;
      const spec = opts.loadSpec ? opts.loadSpec(id) : loadDistributionSpec(id, dataDir);
      (inputs.datedSpecs ??= new Map()).set(id, spec);
      files.push(spec.file);
    }
  } else {
    const path = scenario.pool.csv as string;
    const read = await readApplicantCsv(path);
    files.push(path);
    inputs.csv = {
      pool: read.pool,
      scores: scorePool(read.pool, ruleBook, { ...scoreOptions(scenario), breakdown: false }),
    };
  }
  const residence = residenceInputs(scenario.residence, dataDir, opts.residenceData);
  if (residence) {
    inputs.residence = residence;
    files.push(residence.file);
  }
  inputs.files = files.map((path) => ({ path, sha256: sha256File(path) }));
  return inputs;
}

export function scoreOptions(scenario: Scenario): ScoreOptions {
  return scenario.pass_mark === null
    ? { rules: scenario.rules }
    : { rules: scenario.rules, passMark: scenario.pass_mark };
}

/** A finished run with what produced it. */
export interface ScenarioRun {
  scenario: Scenario;
  seed: string | number;
  inputs: ScenarioInputs;
  result: RunResult;
  /** after allotment (absent when residence is off) */
  residence?: ResidenceResult;
}

/** A finished run with its residence pipeline run after it (a pure step over the run's result). */
export function withResidence<T extends ScenarioRun>(run: T): T {
  const r = run.inputs.residence;
  return r ? { ...run, residence: residenceOfRun(run.result, r, run.seed) } : run;
}

/** The quarters a run covers: the scenario's period, else the spec's period or the CSV's dates. */
export function runWindow(scenario: Scenario, inputs: ScenarioInputs): RunWindow {
  if (scenario.period) {
    const fromDay = parseIsoDay(scenario.period.from);
    return { firstQuarter: quarterOfDay(fromDay), quarters: scenario.period.quarters, fromDay };
  }
  if (inputs.spec) {
    const fromDay = parseIsoDay(inputs.spec.period.from);
    const first = quarterOfDay(fromDay);
    return {
      firstQuarter: first,
      quarters: quarterOfDay(parseIsoDay(inputs.spec.period.to)) - first + 1,
      fromDay,
    };
  }
  const days = inputs.csv!.pool.columns.applied_on;
  if (days.length === 0)
    throw new CsvFileError(
      String(scenario.pool.csv),
      "no applicant rows (a header only, or every row rejected) and the scenario has no period to run",
    );
  let lo = days[0]!;
  let hi = days[0]!;
  for (let i = 1; i < days.length; i++) {
    if (days[i]! < lo) lo = days[i]!;
    if (days[i]! > hi) hi = days[i]!;
  }
  return { firstQuarter: quarterOfDay(lo), quarters: quarterOfDay(hi) - quarterOfDay(lo) + 1 };
}

/** The quarters a run covers; `fromDay`: its first day, when it starts inside its first quarter. */
export interface RunWindow {
  firstQuarter: number;
  quarters: number;
  fromDay?: number;
}

export function policyOf(
  scenario: Scenario,
  window: RunWindow,
  file = scenario.name,
  ruleBook?: RuleBook,
): Policy {
  let exercises = 0;
  for (let k = 0; k < window.quarters; k++)
    if (isExerciseQuarter(window.firstQuarter + k, scenario.exercises_per_year)) exercises++;
  const perExercise = scenario.quota.per_exercise;
  if (perExercise && perExercise.length < exercises) {
    throw new ScenarioError(
      file,
      "quota.per_exercise",
      `lists ${perExercise.length} value(s) but the run has ${exercises} exercises`,
    );
  }
  const committee = scenario.committee;
  if (
    committee &&
    Object.keys(committee.sector_shares).length > 0 &&
    scenario.quota.per_year === "unlimited" &&
    scenario.quota.changes.length === 0
  ) {
    throw new ScenarioError(
      file,
      "committee.sector_shares",
      "shares of an unlimited quota mean nothing; use sector_caps",
    );
  }
  const values = quarterValues(scenario, window.firstQuarter, window.quarters);
  const datedPassMark = scenario.timeline.some((e) => "pass_mark" in e.set);
  const schedule: QuarterPolicy[] = values.map((v) => ({
    assessmentCapacity: v.assessmentCapacity,
    assessmentLagQuarters: v.assessmentLagQuarters,
    withdrawalPerQuarter: v.withdrawalPerQuarter,
    committee: v.committee,
    exercisesPerYear: v.exercisesPerYear,
    passMark: datedPassMark ? v.passMark : null,
  }));
  // the timeline's dated quotas are dated quota changes: one mechanism decides the quota of a day
  const timelineQuota = scenario.timeline
    .filter((e) => "quota.per_year" in e.set)
    .map((e) => ({ from: e.from, per_year: e.set["quota.per_year"] as number | "unlimited" }));
  const quota =
    timelineQuota.length === 0
      ? scenario.quota
      : {
          ...scenario.quota,
          changes: [...scenario.quota.changes, ...timelineQuota].sort((a, b) => a.from.localeCompare(b.from)),
        };
  return {
    firstQuarter: window.firstQuarter,
    quarters: window.quarters,
    schedule,
    ...(ruleBook ? { scales: scalesOf(ruleBook) } : {}),
    assessmentLagQuarters: scenario.assessment_lag_quarters,
    assessmentCapacity: scenario.assessment_capacity,
    exercisesPerYear: scenario.exercises_per_year,
    quota,
    unusedQuota: scenario.unused_quota,
    tieBreak: scenario.tie_break,
    aptFirst: scenario.apt_first,
    poolRounds: scenario.pool_rounds,
    withdrawalPerQuarter: scenario.withdrawal_per_quarter,
    committee,
  };
}

/** Per rule set id: its kind, own pass mark and maximum (the committee's relative score). */
export function scalesOf(ruleBook: RuleBook): Record<string, RuleSetScale> {
  const scales: Record<string, RuleSetScale> = {};
  for (const rs of ruleBook.ruleSets)
    scales[rs.id] =
      rs.kind === "points"
        ? { kind: "points", pass: rs.pass.min_total, max: rs.max_total }
        : { kind: "criteria", pass: rs.pass.min_criteria, max: rs.criteria.length };
  return scales;
}

/**
 * Number of applications arriving in each quarter of a generated pool (Poisson or the rounded mean),
 * with the mean and seasonality in force in that quarter. A run that starts inside its first quarter
 * (the scheme opened on 28 Jun 2006) gets that quarter's share of days.
 */
export function arrivalCounts(scenario: Scenario, poolSeed: string | number, window: RunWindow): number[] {
  const { poisson } = scenario.pool;
  const values = quarterValues(scenario, window.firstQuarter, window.quarters);
  const counts: number[] = [];
  for (let k = 0; k < window.quarters; k++) {
    const q = window.firstQuarter + k;
    const v = values[k]!;
    const m = v.arrivalsPerQuarter * v.seasonal[q % 4]! * (k === 0 ? firstQuarterShare(window) : 1);
    counts.push(poisson ? randPoisson(createRng(deriveSeed(poolSeed, "arrivals", q)), m) : Math.round(m));
  }
  return counts;
}

/** The share of its first quarter's days a run covers (1 when it starts on the quarter's first day). */
function firstQuarterShare(window: RunWindow): number {
  const start = quarterStartDay(window.firstQuarter);
  if (window.fromDay === undefined || window.fromDay <= start) return 1;
  const end = quarterStartDay(window.firstQuarter + 1);
  return (end - window.fromDay) / (end - start);
}

/**
 * The quarters that have arrivals, each with its count, first applicant index, the spec it is drawn
 * from (when the timeline changes it) and, for a run starting inside its first quarter, its first day.
 */
export function arrivalTasks(
  counts: readonly number[],
  window: RunWindow,
  specs?: readonly (string | undefined)[],
): Map<number, ArrivalTask> {
  const tasks = new Map<number, ArrivalTask>();
  let next = 0;
  const firstQuarter = window.firstQuarter;
  counts.forEach((count, k) => {
    if (count > 0) {
      const task: ArrivalTask = { quarter: firstQuarter + k, count, startIndex: next };
      if (k === 0 && window.fromDay !== undefined && window.fromDay > quarterStartDay(firstQuarter))
        task.fromDay = window.fromDay;
      const spec = specs?.[k];
      if (spec !== undefined) task.spec = spec;
      tasks.set(firstQuarter + k, task);
    }
    next += count;
  });
  return tasks;
}

/** The seed of a run's generated pool: the scenario's pool.seed, else derived from the run seed. */
export function poolSeedOf(scenario: Scenario, seed: string | number): string | number {
  return scenario.pool.seed ?? deriveSeed(seed, "pool");
}

/**
 * Run a scenario with one seed (default: the scenario's). A generated pool is drawn quarter by
 * quarter (seed = pool.seed, else derived from the run seed), scored and handed to the engine, so
 * only one quarter's full applicant records are in memory at a time.
 */
export function runScenario(
  scenario: Scenario,
  inputs: ScenarioInputs,
  opts: { seed?: string | number } = {},
): ScenarioRun {
  const seed = opts.seed ?? scenario.seed;
  const window = runWindow(scenario, inputs);
  const policy = policyOf(scenario, window, scenario.name, inputs.ruleBook);
  let result: RunResult;
  if (inputs.csv) {
    const apps = new Applications(inputs.csv.pool.size);
    apps.add(inputs.csv.pool, inputs.csv.scores);
    result = simulate(apps, policy, seed);
  } else {
    const spec = inputs.spec!;
    const plan = generatedPlan(scenario, inputs, seed);
    const apps = new Applications(plan.total);
    result = simulate(apps, policy, seed, (quarter, store) => {
      const task = plan.tasks.get(quarter);
      if (task)
        store.append(
          arrivalBatch(specOfTask(inputs, task) ?? spec, inputs.ruleBook, plan.options, plan.poolSeed, task),
        );
    });
  }
  return withResidence({ scenario, seed, inputs, result });
}

/** The spec a task draws from: a dated one it names, else undefined (the scenario's own). */
export function specOfTask(inputs: ScenarioInputs, task: ArrivalTask): DistributionSpec | undefined {
  if (task.spec === undefined) return undefined;
  const spec = inputs.datedSpecs?.get(task.spec);
  if (!spec) throw new Error(`spec '${task.spec}' of the timeline was not loaded`);
  return spec;
}

/** What a run with a generated pool draws: its pool seed, the quarters with arrivals, their total. */
export interface GeneratedPlan {
  poolSeed: string | number;
  /** by quarter index, the quarters with arrivals */
  tasks: Map<number, ArrivalTask>;
  total: number;
  options: ScoreOptions;
}

export function generatedPlan(
  scenario: Scenario,
  inputs: ScenarioInputs,
  seed: string | number,
): GeneratedPlan {
  const window = runWindow(scenario, inputs);
  const poolSeed = poolSeedOf(scenario, seed);
  const counts = arrivalCounts(scenario, poolSeed, window);
  const specs = scenario.timeline.some((e) => "pool.spec" in e.set)
    ? quarterValues(scenario, window.firstQuarter, window.quarters).map((v) =>
        v.spec === scenario.pool.spec ? undefined : v.spec,
      )
    : undefined;
  return {
    poolSeed,
    tasks: arrivalTasks(counts, window, specs),
    total: counts.reduce((a, b) => a + b, 0),
    options: scoreOptions(scenario),
  };
}
