import { pathToFileURL } from "node:url";
import { formatIsoDay, formatQuarter, parseIsoDay, quarterOfDay, quarterStartDay } from "../dates.js";
import { InputError } from "../errors.js";
import { sharedRuleBook, unitInputs } from "../experiments/model.js";
import { resolveScenario } from "../experiments/resolve.js";
import { replicationSeeds } from "../experiments/seeds.js";
import { executeTasks } from "../experiments/workers.js";
import { LIMITS } from "../limits.js";
import { compiledModulePath } from "../paths.js";
import type { RuleBook } from "../rules/book.js";
import { ruleBookFrom } from "../rules/load.js";
import type { RuleSet } from "../rules/types.js";
import type { Scenario } from "../scenario/schema.js";
import { isExerciseQuarter } from "../selection/quota.js";
import { policyOf, runWindow, scalesOf } from "../simulation/run.js";
import type { Policy } from "../simulation/timeline.js";
import { claimChancesFolder } from "./folder.js";
import { type ChancesUnit, decodeRecord, prepareModel } from "./model.js";
import {
  type Estimate,
  estimate,
  type ForecastPolicy,
  type Hypothetical,
  type Reapply,
  type ReplicationChance,
  type Route,
  replicationChance,
} from "./probability.js";
import type { ReplicationRecord } from "./records.js";

/**
 * A chances forecast: replications of a scenario, each reduced to what a hypothetical application
 * made on `fromDay` would have met in its next K exercises, and from those the probability of being
 * allotted within k = 1..K exercises for every score of the table, and the distribution of each
 * exercise's cutoff.
 */
export interface ChancesOptions {
  scenario: string;
  replications: number;
  /** master seed (replication i: deriveSeed(seed, "replication", i)) */
  seed: string;
  exercises: number;
  /** ISO day the application is made (default: the period's first day) */
  from?: string;
  reapply?: Reapply;
  jobs?: number;
  /** the folder the forecast will be written to: claimed before anything runs (see claimChancesFolder) */
  outDir?: string;
  /** inputs besides the scenario's (an applicant CSV), which no output may replace */
  extraInputs?: string[];
  force?: boolean;
  dataDir?: string;
  onProgress?: (done: number, total: number) => void;
}

export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

export interface CurvePoint extends Estimate {
  route: Route;
  score: number;
  /** within this many exercises */
  k: number;
}

export interface CutoffRow {
  /** 1-based, counted from the application day */
  exercise: number;
  quarter: string;
  quantile: number;
  /** null when no replication allotted a GPT or criteria candidate in that exercise */
  cutoff: number | null;
  /** replications with a cutoff in that exercise */
  n: number;
}

export interface ChancesForecast {
  options: Required<
    Omit<ChancesOptions, "onProgress" | "from" | "jobs" | "outDir" | "extraInputs" | "force">
  > & { from: string };
  scenarioName: string;
  unit: ChancesUnit;
  ruleBook: RuleBook;
  /** the table the application is scored on (in force on its day, or the scenario's rules) */
  ruleSet: RuleSet;
  route: Route;
  /** lowest passing score on that table (points pass mark in force, or criteria needed) */
  passMark: number;
  seeds: string[];
  records: ReplicationRecord[];
  policy: ForecastPolicy;
  aptFirst: boolean;
  /** whether a committee (not the score alone) decides in any exercise the application takes part in */
  committee: boolean;
  /** whether a committee standard judges the case (its latent quality is kept between exercises) */
  latentVerdicts: boolean;
  curves: CurvePoint[];
  cutoffs: CutoffRow[];
  /** facts about the forecast worth printing (how exercises are reached, what is ignored) */
  notes: string[];
}

function ruleSetFor(scenario: Scenario, book: RuleBook, day: number): RuleSet {
  const rules = scenario.rules as string;
  if (rules !== "auto") return book.get(rules);
  try {
    return book.inForce(day);
  } catch {
    throw new InputError(`no rule set is in force on ${formatIsoDay(day)}`);
  }
}

/** Scenario, rule book, policy and window, without running anything. */
async function prepare(opts: ChancesOptions) {
  const dataDir = opts.dataDir ?? "data";
  const unit = resolveScenario(opts.scenario, { dataDir });
  const scenario = unit.scenario as unknown as Scenario;
  const inputs = await unitInputs(unit, dataDir);
  const book = unit.rules
    ? ruleBookFrom(unit.rules.ruleSets, unit.rules.talentLists)
    : sharedRuleBook(dataDir);
  const window = runWindow(scenario, inputs);
  const policy = policyOf(scenario, window, unit.name, book);
  const start = window.fromDay ?? quarterStartDay(window.firstQuarter);
  const end = quarterStartDay(window.firstQuarter + window.quarters) - 1;
  let fromDay = start;
  if (opts.from !== undefined) {
    let day = Number.NaN;
    try {
      day = parseIsoDay(opts.from);
    } catch {
      // reported below
    }
    // a date that does not round-trip (2019-02-30) is no date
    if (!Number.isFinite(day) || formatIsoDay(day) !== opts.from)
      throw new InputError(`expects a date YYYY-MM-DD (got '${opts.from}')`, "from");
    fromDay = day;
    if (fromDay < start || fromDay > end)
      throw new InputError(
        `${opts.from} is outside the scenario's period (${formatIsoDay(start)} to ${formatIsoDay(end)})`,
        "from",
      );
  }
  const exercisesLeft = countExercises(policy, quarterOfDay(fromDay) - window.firstQuarter);
  if (opts.exercises > exercisesLeft)
    throw new InputError(
      `${opts.exercises}: the period has only ${exercisesLeft} exercise${exercisesLeft === 1 ? "" : "s"} from ${formatIsoDay(fromDay)}`,
      "exercises",
    );
  return { dataDir, unit, scenario, book, policy, fromDay, window };
}

function countExercises(policy: Policy, fromK: number): number {
  let n = 0;
  for (let k = Math.max(0, fromK); k < policy.quarters; k++) {
    const per = policy.schedule?.[k]?.exercisesPerYear ?? policy.exercisesPerYear;
    if (isExerciseQuarter(policy.firstQuarter + k, per)) n++;
  }
  return n;
}

export async function forecastChances(opts: ChancesOptions): Promise<ChancesForecast> {
  if (!Number.isInteger(opts.exercises) || opts.exercises < 1)
    throw new InputError(`must be a positive whole number (got ${opts.exercises})`, "exercises");
  if (opts.replications > LIMITS.experimentRuns)
    throw new InputError(
      `must be at most ${LIMITS.experimentRuns.toLocaleString("en-US")} (got ${opts.replications})`,
      "replications",
    );
  const { dataDir, unit, scenario, book, policy, fromDay } = await prepare(opts);
  if (opts.outDir !== undefined) claimChancesFolder(opts.outDir, unit, dataDir, opts.extraInputs, opts.force);
  const chancesUnit: ChancesUnit = { ...unit, chances: { fromDay, exercises: opts.exercises } };
  const seeds = replicationSeeds(opts.seed, opts.replications);
  const execution = await executeTasks(
    [chancesUnit],
    seeds.map((seed, replication) => ({ unit: 0, replication, seed })),
    {
      jobs: opts.jobs ?? 1,
      dataDir,
      onProgress: opts.onProgress,
      modelModule: pathToFileURL(compiledModulePath(import.meta.url, "model.js")).href,
      prepareInThread: prepareModel,
    },
  );
  const records = execution.results.map(decodeRecord);
  const ruleSet = ruleSetFor(scenario, book, fromDay);
  const scale = scalesOf(book)[ruleSet.id]!;
  const forecastPolicy: ForecastPolicy = {
    schedule: policy.schedule ?? [],
    passMark: scenario.pass_mark,
    reapply: opts.reapply ?? "same",
  };
  const route: Route = ruleSet.kind === "points" ? "gpt" : "criteria";
  const passMark =
    ruleSet.kind === "points"
      ? (forecastPolicy.schedule[quarterOfDay(fromDay) - policy.firstQuarter]?.passMark ??
        scenario.pass_mark ??
        scale.pass)
      : scale.pass;
  const K = opts.exercises;
  const curves: CurvePoint[] = [];
  const scores = scale.max;
  for (let score = 0; score <= scores; score++) {
    const h: Hypothetical = { route, total: score, scale };
    curves.push(...curveRows(chancesOf(records, h, forecastPolicy, K, scenario.apt_first), route, score));
  }
  const apt: Hypothetical = { route: "apt", total: ruleSet.max_total, scale };
  curves.push(
    ...curveRows(chancesOf(records, apt, forecastPolicy, K, scenario.apt_first), "apt", ruleSet.max_total),
  );
  if (records.every((r) => r.assessedAt < 0))
    throw new InputError(
      `${formatIsoDay(fromDay)}: an application made that day would not be assessed before the period ends in any replication (the queue is too long); choose an earlier day`,
      "from",
    );
  const considered = new Set(records.flatMap((r) => r.exercises.map((e) => e.k)));
  const committee = [...considered].some((k) => forecastPolicy.schedule[k]?.committee);
  const latentVerdicts = [...considered].some((k) => forecastPolicy.schedule[k]?.committee?.standard);
  return {
    options: {
      scenario: opts.scenario,
      replications: opts.replications,
      seed: opts.seed,
      exercises: K,
      from: formatIsoDay(fromDay),
      reapply: forecastPolicy.reapply,
      dataDir,
    },
    scenarioName: unit.name,
    unit: chancesUnit,
    ruleBook: book,
    ruleSet,
    route,
    passMark,
    seeds,
    records,
    policy: forecastPolicy,
    aptFirst: scenario.apt_first,
    committee,
    latentVerdicts,
    curves,
    cutoffs: cutoffRows(records, policy, fromDay, K),
    notes: forecastNotes(records, policy, scenario, fromDay, K),
  };
}

export function chancesOf(
  records: readonly ReplicationRecord[],
  h: Hypothetical,
  policy: ForecastPolicy,
  exercises: number,
  aptFirst: boolean,
): ReplicationChance[] {
  return records.map((r) => replicationChance(r, h, policy, exercises, aptFirst));
}

function curveRows(chances: ReplicationChance[], route: Route, score: number): CurvePoint[] {
  const K = chances[0]?.p.length ?? 0;
  return Array.from({ length: K }, (_, j) => ({ route, score, k: j + 1, ...estimate(chances, j) }));
}

/** Quantile of sorted values, linear between order statistics (the common "type 7"). */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function cutoffRows(
  records: readonly ReplicationRecord[],
  policy: Policy,
  fromDay: number,
  K: number,
): CutoffRow[] {
  const quarters: number[] = [];
  for (let k = quarterOfDay(fromDay) - policy.firstQuarter; k < policy.quarters && quarters.length < K; k++) {
    const per = policy.schedule?.[k]?.exercisesPerYear ?? policy.exercisesPerYear;
    if (isExerciseQuarter(policy.firstQuarter + k, per)) quarters.push(policy.firstQuarter + k);
  }
  const rows: CutoffRow[] = [];
  quarters.forEach((quarter, j) => {
    const values = records
      .map((r) => r.calendarCutoffs[j])
      .filter((v): v is number => v !== undefined && Number.isFinite(v))
      .sort((a, b) => a - b);
    for (const q of QUANTILES)
      rows.push({
        exercise: j + 1,
        quarter: formatQuarter(quarter),
        quantile: q,
        cutoff: quantileSorted(values, q),
        n: values.length,
      });
  });
  return rows;
}

function forecastNotes(
  records: readonly ReplicationRecord[],
  policy: Policy,
  scenario: Scenario,
  fromDay: number,
  K: number,
): string[] {
  const notes: string[] = [];
  const arrival = quarterOfDay(fromDay) - policy.firstQuarter;
  const waits = records.filter((r) => r.assessedAt >= 0).map((r) => r.assessedAt - arrival);
  const never = records.length - waits.length;
  if (waits.length > 0) {
    const lo = Math.min(...waits);
    const hi = Math.max(...waits);
    const firsts = new Set(
      records.flatMap((r) => (r.exercises[0] ? [formatQuarter(policy.firstQuarter + r.exercises[0].k)] : [])),
    );
    notes.push(
      `An application made on ${formatIsoDay(fromDay)} is assessed ${lo === hi ? `${lo}` : `${lo}–${hi}`} quarter(s) after the quarter it is made in (the queue, first come first served); its first exercise: ${[...firsts].sort().join(", ")}.`,
    );
  }
  if (never > 0)
    notes.push(
      `In ${never} of ${records.length} replications it would not be assessed before the period ends: no chance there.`,
    );
  const short = records.filter((r) => r.assessedAt >= 0 && r.exercises.length < K).length;
  if (short > 0)
    notes.push(
      `In ${short} of ${records.length} replications the period ends before its ${K}th exercise: the exercises it does not reach add nothing.`,
    );
  const limits =
    scenario.committee &&
    (Object.keys(scenario.committee.sector_shares).length > 0 ||
      Object.keys(scenario.committee.sector_caps).length > 0);
  if (limits)
    notes.push(
      "The committee's sector shares and caps are not modelled here: the forecast assumes the application's sector had room.",
    );
  return notes;
}

/** The estimate for one score and k (the curves hold every score of the table). */
export function curveAt(f: ChancesForecast, route: Route, score: number, k: number): CurvePoint | undefined {
  return f.curves.find((c) => c.route === route && c.score === score && c.k === k);
}
