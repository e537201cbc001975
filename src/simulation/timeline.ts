import { quarterOfDay, quarterStartDay } from "../dates.js";
import { createRng, deriveSeed, UniformStream } from "../random.js";
import type { CommitteeConfig, QuotaConfig, TieBreak, UnusedQuotaMode } from "../scenario/schema.js";
import { buildCommittee, type Committee, runExercise } from "../selection/exercise.js";
import { carryOver, exerciseQuota, isExerciseQuarter, perYearOn } from "../selection/quota.js";
import { ROUTE_APT } from "../selection/rank.js";
import type { Applications } from "./store.js";

/** Final state of an application; the code stored in RunResult.decision is the index here. */
export const DECISIONS = [
  "pending",
  "allotted",
  "refused_prerequisites",
  "refused_below_pass_mark",
  "not_selected",
  "withdrawn",
] as const;
export type Decision = (typeof DECISIONS)[number];
export const PENDING = 0;
export const ALLOTTED = 1;
export const REFUSED_PREREQUISITES = 2;
export const REFUSED_BELOW_PASS_MARK = 3;
export const NOT_SELECTED = 4;
export const WITHDRAWN = 5;

/** The selection policy of a run, as the engine sees it (built from a Scenario). */
export interface Policy {
  /** quarter index of the first quarter */
  firstQuarter: number;
  quarters: number;
  /** applications assessed per quarter; null = unlimited (the first quarter's value: see `schedule`) */
  assessmentCapacity: number | null;
  exercisesPerYear: 1 | 2 | 4;
  quota: QuotaConfig;
  unusedQuota: UnusedQuotaMode;
  tieBreak: readonly TieBreak[];
  aptFirst: boolean;
  /** exercises a passed application stays in the pool before it is refused */
  poolRounds: number;
  withdrawalPerQuarter: number;
  committee: CommitteeConfig | null;
  /** quarters an application waits before it can be assessed */
  assessmentLagQuarters?: number;
  /**
   * per quarter of the run, the dated values in force (a scenario's `timeline`); omitted = the values
   * above for every quarter
   */
  schedule?: QuarterPolicy[];
  /**
   * per rule set id: the scale the committee's relative score is read on (its pass mark and maximum),
   * and its kind; needed by a committee `standard` and by a dated pass mark
   */
  scales?: Record<string, RuleSetScale>;
}

/** The values of a policy that can change by date, as in force in one quarter. */
export interface QuarterPolicy {
  assessmentCapacity: number | null;
  assessmentLagQuarters: number;
  withdrawalPerQuarter: number;
  committee: CommitteeConfig | null;
  exercisesPerYear: 1 | 2 | 4;
  /** points pass mark applied at assessment; null = as scored on arrival */
  passMark: number | null;
}

export interface RuleSetScale {
  kind: "points" | "criteria";
  /** the rule set's own pass mark (points, or criteria needed) */
  pass: number;
  max: number;
}

/** One quarter of the run. Quantities that do not apply (no exercise, no quota) are NaN. */
export interface RoundMetrics {
  quarter: number;
  exercise: boolean;
  arrivals: number;
  assessed: number;
  /** arrived, not yet assessed, at the end of the quarter */
  backlog: number;
  refused_prerequisites: number;
  refused_below_pass_mark: number;
  /** assessed this quarter and passed */
  passed: number;
  /** candidates ranked in this quarter's exercise */
  candidates: number;
  /** the exercise's own quota (Infinity when unlimited) */
  quota: number;
  /** unused places carried in from the previous exercise */
  carried_in: number;
  allotted: number;
  allotted_apt: number;
  /** lowest score allotted to a GPT (or criteria) candidate */
  cutoff_score: number;
  median_allotted_score: number;
  not_selected: number;
  unused_quota: number;
  carried_over: number;
  withdrawn: number;
  persons_admitted: number;
}

export interface RunResult {
  policy: Policy;
  apps: Applications;
  /** per application: index into DECISIONS */
  decision: Uint8Array;
  /** per application, quarters relative to policy.firstQuarter; -1 = none */
  arrivalQuarter: Int16Array;
  assessmentQuarter: Int16Array;
  decisionQuarter: Int16Array;
  /** 1-based rank in the last exercise the application took part in; 0 = never ranked */
  rank: Int32Array;
  /** days from applied_on to the last day of the decision quarter; -1 = no decision */
  waitDays: Int32Array;
  rounds: RoundMetrics[];
}

/**
 * Called before each quarter is simulated so arrivals can be added quarter by quarter (a generated
 * pool need never be held whole); a CSV pool is simply added before the run.
 */
export type ArrivalFeed = (quarter: number, apps: Applications) => void;

/**
 * The quarterly timeline: arrivals join the queue in the quarter of their applied_on (applications
 * dated before the run join its first quarter; those after its end stay pending), the oldest are
 * assessed up to the capacity, and the quarter's exercise (if any) allots its quota.
 * All randomness comes from streams derived from `seed` and the quarter.
 */
export function simulate(
  apps: Applications,
  policy: Policy,
  seed: string | number,
  feed?: ArrivalFeed,
): RunResult {
  const steps = simulation(apps, policy, seed);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    if (feed) feed(step.value, apps);
  }
}

/**
 * simulate() as a generator: it yields each quarter before simulating it, so the caller can add that
 * quarter's arrivals first, and returns the result. An asynchronous caller (arrivals made on worker
 * threads, see parallel.ts) awaits the quarter's batch between steps; the engine itself stays synchronous.
 *
 * Each quarter reads as the scheme runs it: waiting applications may withdraw, the quarter's
 * applications join the queue, the oldest ripe ones are assessed up to the capacity, the exercise (if
 * the quarter has one) selects from the pool, unused places carry over or lapse, and the quarter is
 * recorded.
 */
export function* simulation(
  apps: Applications,
  policy: Policy,
  seed: string | number,
): Generator<number, RunResult, void> {
  const run = new Engine(apps, policy, seed);
  for (let k = 0; k < policy.quarters; k++) {
    const quarter = policy.firstQuarter + k;
    yield quarter;
    const m = emptyRound(quarter, run.exerciseNumber.has(quarter));
    const settings = run.schedule[k]!;
    run.withdraw(k, settings, m);
    run.arrive(k, m);
    run.assess(k, settings, m);
    if (m.exercise) run.select(k, settings, m);
    run.rounds.push(m);
  }
  return run.finish();
}

/** The schedule of a policy: its dated values per quarter, or its flat values for every quarter. */
export function scheduleOf(policy: Policy): QuarterPolicy[] {
  if (policy.schedule) {
    if (policy.schedule.length !== policy.quarters)
      throw new Error(`the policy's schedule has ${policy.schedule.length} quarters, not ${policy.quarters}`);
    return policy.schedule;
  }
  const flat: QuarterPolicy = {
    assessmentCapacity: policy.assessmentCapacity,
    assessmentLagQuarters: policy.assessmentLagQuarters ?? 0,
    withdrawalPerQuarter: policy.withdrawalPerQuarter,
    committee: policy.committee,
    exercisesPerYear: policy.exercisesPerYear,
    passMark: null,
  };
  return Array.from({ length: policy.quarters }, () => flat);
}

/** The state of one run and its quarter steps. */
class Engine {
  readonly schedule: QuarterPolicy[];
  readonly decision: Uint8Array;
  readonly arrivalQuarter: Int16Array;
  readonly assessmentQuarter: Int16Array;
  readonly decisionQuarter: Int16Array;
  readonly rank: Int32Array;
  readonly waitDays: Int32Array;
  readonly rounds: RoundMetrics[] = [];
  /** exercise quarters of the run, and each one's number */
  readonly exerciseQuarters: number[] = [];
  readonly exerciseNumber: Map<number, number>;
  private readonly indexInYear: number[];
  /** last day of each quarter of the run: the decision date used for waiting times */
  private readonly lastDay: Int32Array;
  /** exercises left before a pooled application is refused */
  private readonly roundsLeft: Uint8Array;
  // Applications are numbered in applied_on order (see Applications.add): the queue is 0, 1, 2, ...
  private arrivePtr = 0;
  private assessPtr = 0;
  private backlog = 0;
  private pool: Int32Array = new Int32Array(0);
  private carried = 0;
  /** the last exercise day of each calendar year so far (for quota.split: annual) */
  private readonly lastExerciseDay = new Map<number, number>();
  private readonly lotteryOn: boolean;
  /** each application's latent quality for a committee standard (a uniform of its own), or null */
  private readonly quality: Float64Array | null;
  private readonly qualityStream: UniformStream | null;
  private qualityDrawn = 0;
  private readonly compareIds: (a: number, b: number) => number;

  constructor(
    readonly apps: Applications,
    readonly policy: Policy,
    readonly seed: string | number,
  ) {
    const cap = apps.capacity;
    this.schedule = scheduleOf(policy);
    this.decision = new Uint8Array(cap);
    this.arrivalQuarter = new Int16Array(cap).fill(-1);
    this.assessmentQuarter = new Int16Array(cap).fill(-1);
    this.decisionQuarter = new Int16Array(cap).fill(-1);
    this.rank = new Int32Array(cap);
    this.waitDays = new Int32Array(cap).fill(-1);
    this.roundsLeft = new Uint8Array(cap);
    this.lotteryOn = policy.tieBreak.includes("lottery");
    this.compareIds = (a, b) => apps.compareIds(a, b);
    for (let k = 0; k < policy.quarters; k++) {
      const q = policy.firstQuarter + k;
      if (isExerciseQuarter(q, this.schedule[k]!.exercisesPerYear)) this.exerciseQuarters.push(q);
    }
    this.exerciseNumber = new Map(this.exerciseQuarters.map((q, i) => [q, i]));
    this.indexInYear = this.exerciseQuarters.map(
      (q) => this.exerciseQuarters.filter((p) => Math.floor(p / 4) === Math.floor(q / 4) && p < q).length,
    );
    this.lastDay = Int32Array.from(
      { length: policy.quarters },
      (_, k) => quarterStartDay(policy.firstQuarter + k + 1) - 1,
    );
    const standard = this.schedule.some((s) => s.committee?.standard !== undefined);
    this.quality = standard ? new Float64Array(cap) : null;
    this.qualityStream = standard ? new UniformStream(deriveSeed(seed, "committee-quality")) : null;
  }

  private decide(g: number, code: number, k: number): void {
    this.decision[g] = code;
    this.decisionQuarter[g] = k;
    this.waitDays[g] = this.lastDay[k]! - this.apps.appliedOn[g]!;
  }

  /** Withdrawals among those already waiting (backlog and pool), before this quarter's arrivals join. */
  withdraw(k: number, settings: QuarterPolicy, m: RoundMetrics): void {
    const p = settings.withdrawalPerQuarter;
    if (p <= 0) return;
    const rng = createRng(deriveSeed(this.seed, "withdrawal", this.policy.firstQuarter + k));
    const decision = this.decision;
    for (let g = this.assessPtr; g < this.arrivePtr; g++) {
      if (decision[g] === PENDING && rng.next() < p) {
        this.decide(g, WITHDRAWN, k);
        this.backlog--;
        m.withdrawn++;
      }
    }
    const pool = this.pool;
    for (let i = 0; i < pool.length; i++) {
      if (rng.next() < p) {
        this.decide(pool[i]!, WITHDRAWN, k);
        m.withdrawn++;
      }
    }
    if (m.withdrawn > 0) this.pool = keepPending(this.pool, decision);
  }

  /** Arrivals of this quarter (and, in the first quarter, anything dated earlier) join the queue. */
  arrive(k: number, m: RoundMetrics): void {
    const queued = this.apps.size;
    const end = quarterStartDay(this.policy.firstQuarter + k + 1);
    const appliedOn = this.apps.appliedOn;
    const arrivedBefore = this.arrivePtr;
    let ptr = this.arrivePtr;
    while (ptr < queued && appliedOn[ptr]! < end) this.arrivalQuarter[ptr++] = k;
    this.arrivePtr = ptr;
    m.arrivals = ptr - arrivedBefore;
    this.backlog += m.arrivals;
    if (this.quality && this.qualityStream && ptr > this.qualityDrawn) {
      this.qualityStream.fill(this.quality, this.qualityDrawn, ptr);
      this.qualityDrawn = ptr;
    }
  }

  /**
   * Assessment: first come, first assessed, up to the capacity, once an application has waited the
   * lag. Passes join the pool behind those already in it.
   */
  assess(k: number, settings: QuarterPolicy, m: RoundMetrics): void {
    const capacity = settings.assessmentCapacity ?? Number.POSITIVE_INFINITY;
    const lastRipe = k - settings.assessmentLagQuarters;
    const arrivalQuarter = this.arrivalQuarter;
    let ripeEnd = this.assessPtr;
    while (ripeEnd < this.arrivePtr && arrivalQuarter[ripeEnd]! <= lastRipe) ripeEnd++;
    const room = Math.min(ripeEnd - this.assessPtr, capacity);
    const pool = this.pool;
    const merged = new Int32Array(pool.length + room);
    merged.set(pool);
    let poolSize = pool.length;
    let assessed = 0;
    let refusedPrerequisites = 0;
    let refusedBelow = 0;
    const { eligible } = this.apps;
    const passed = this.passedColumn(settings);
    const decision = this.decision;
    let ptr = this.assessPtr;
    while (ptr < ripeEnd && assessed < capacity) {
      const g = ptr++;
      if (decision[g] !== PENDING) continue;
      this.assessmentQuarter[g] = k;
      assessed++;
      if (eligible[g] === 0) {
        this.decide(g, REFUSED_PREREQUISITES, k);
        refusedPrerequisites++;
      } else if (passed(g) === 0) {
        this.decide(g, REFUSED_BELOW_PASS_MARK, k);
        refusedBelow++;
      } else {
        this.roundsLeft[g] = this.policy.poolRounds;
        merged[poolSize++] = g;
      }
    }
    // Skip over entries already decided (withdrawn) so the pointer always rests on a waiting one.
    while (ptr < this.arrivePtr && decision[ptr] !== PENDING) ptr++;
    this.assessPtr = ptr;
    this.backlog -= assessed;
    m.assessed = assessed;
    m.refused_prerequisites = refusedPrerequisites;
    m.refused_below_pass_mark = refusedBelow;
    m.passed = poolSize - pool.length;
    m.backlog = this.backlog;
    this.pool = merged.subarray(0, poolSize);
  }

  /** Whether an application passes, under the pass mark in force (null: as scored on arrival). */
  private passedColumn(settings: QuarterPolicy): (g: number) => number {
    const { passed, total, route, ruleSet, ruleSetIds } = this.apps;
    const mark = settings.passMark;
    if (mark === null) return (g) => passed[g]!;
    const scales = this.policy.scales;
    if (!scales) throw new Error("a dated pass mark needs the rule sets' scales in the policy");
    return (g) => {
      const scale = scales[ruleSetIds[ruleSet[g]!]!];
      if (route[g] === ROUTE_APT || !scale || scale.kind !== "points") return passed[g]!;
      return total[g]! >= mark ? 1 : 0;
    };
  }

  /** The quarter's selection exercise: rank the pool, allot within the quota, refuse or keep the rest. */
  select(k: number, settings: QuarterPolicy, m: RoundMetrics): void {
    const quarter = this.policy.firstQuarter + k;
    const apps = this.apps;
    const n = this.exerciseNumber.get(quarter)!;
    const year = Math.floor(quarter / 4);
    const day = this.lastDay[k]!;
    const annual = this.policy.quota.split === "annual" && this.policy.quota.per_exercise === undefined;
    const own = annual
      ? this.annualPlaces(year, day)
      : exerciseQuota(
          this.policy.quota,
          settings.exercisesPerYear,
          { quarter, day, indexInYear: this.indexInYear[n]! },
          n,
        );
    if (Number.isNaN(own)) throw new Error(`no quota given for exercise ${n + 1}`);
    const quota = Math.max(0, own + this.carried);
    const pool = this.pool;
    const committee = settings.committee;
    const outcome = runExercise(
      {
        total: apps.total,
        route: apps.route,
        appliedOn: apps.appliedOn,
        sector: apps.sector,
        compareIds: this.compareIds,
      },
      {
        candidates: pool,
        quota,
        tieBreak: this.policy.tieBreak,
        aptFirst: this.policy.aptFirst,
        lottery: this.lotteryOn ? createRng(deriveSeed(this.seed, "lottery", quarter)) : null,
        committee: committee ? this.committeeFor(committee, settings) : null,
        committeeRng: committee ? createRng(deriveSeed(this.seed, "committee", quarter)) : null,
      },
    );
    m.candidates = pool.length;
    m.quota = own;
    m.carried_in = Number.isFinite(own) ? this.carried : Number.NaN;
    const scoreCounts = new Int32Array(1 << 10);
    let cutoff = Number.POSITIVE_INFINITY;
    // Ranks and allotments are written in rank order; the rest is done in a sequential pass over
    // the pool (kept in application order), which touches the columns in memory order.
    const order = outcome.order;
    const allottedAt = outcome.allotted;
    const { decision, rank, roundsLeft } = this;
    for (let i = 0; i < order.length; i++) {
      const g = order[i]!;
      rank[g] = i + 1;
      if (allottedAt[i]) decision[g] = ALLOTTED;
    }
    const { persons, total, route } = apps;
    let allotted = 0;
    let allottedApt = 0;
    let personsAdmitted = 0;
    let notSelected = 0;
    for (let i = 0; i < pool.length; i++) {
      const g = pool[i]!;
      if (decision[g] === ALLOTTED) {
        this.decide(g, ALLOTTED, k);
        allotted++;
        personsAdmitted += persons[g]!;
        const t = Math.max(total[g]!, 0);
        scoreCounts[t]!++;
        if (route[g] === ROUTE_APT) allottedApt++;
        else if (t < cutoff) cutoff = t;
      } else if (--roundsLeft[g]! === 0) {
        this.decide(g, NOT_SELECTED, k);
        notSelected++;
      }
    }
    m.allotted = allotted;
    m.allotted_apt = allottedApt;
    m.persons_admitted = personsAdmitted;
    m.not_selected = notSelected;
    m.cutoff_score = Number.isFinite(cutoff) ? cutoff : Number.NaN;
    m.median_allotted_score = medianOfCounts(scoreCounts, m.allotted);
    m.unused_quota = Number.isFinite(quota) ? quota - m.allotted : Number.NaN;
    // the annual split hands the year's unused places to its next exercise (lapsing at the year's end
    // unless unused quota carries forward)
    const next = this.exerciseQuarters[n + 1];
    const mode =
      annual && this.policy.unusedQuota === "lapse" ? "carry_within_year" : this.policy.unusedQuota;
    this.carried = carryOver(mode, m.unused_quota, quarter, next);
    m.carried_over = Number.isFinite(quota) ? this.carried : Number.NaN;
    this.pool = keepPending(pool, decision);
  }

  /**
   * quota.split annual: the new places an exercise brings, the year's quota less what earlier
   * exercises of the year were given (the whole year's quota at its first exercise; a dated raise adds
   * the difference); what they left unused arrives as carry-over.
   */
  private annualPlaces(year: number, day: number): number {
    const perYear = perYearOn(this.policy.quota, day);
    const previous = this.lastExerciseDay.get(year);
    this.lastExerciseDay.set(year, day);
    if (previous === undefined || !Number.isFinite(perYear)) return perYear;
    const before = perYearOn(this.policy.quota, previous);
    return Number.isFinite(before) ? perYear - before : perYear;
  }

  /** The committee of an exercise (built for each: the sectors seen so far grow with the arrivals). */
  private committeeFor(cfg: CommitteeConfig, settings: QuarterPolicy): Committee {
    return buildCommittee(cfg, this.apps.sectors.values, {
      scales: this.policy.scales,
      passMark: settings.passMark,
      ruleSetIds: this.apps.ruleSetIds,
      ruleSet: this.apps.ruleSet,
      quality: this.quality,
      total: this.apps.total,
      route: this.apps.route,
      sector: this.apps.sector,
    });
  }

  finish(): RunResult {
    const { apps, policy } = this;
    // Applications dated after the run never arrive: they stay pending, with their own arrival quarter.
    for (let g = this.arrivePtr; g < apps.size; g++) {
      this.arrivalQuarter[g] = quarterOfDay(apps.appliedOn[g]!) - policy.firstQuarter;
    }
    return {
      policy,
      apps,
      decision: this.decision,
      arrivalQuarter: this.arrivalQuarter,
      assessmentQuarter: this.assessmentQuarter,
      decisionQuarter: this.decisionQuarter,
      rank: this.rank,
      waitDays: this.waitDays,
      rounds: this.rounds,
    };
  }
}

function keepPending(pool: Int32Array, decision: Uint8Array): Int32Array {
  let n = 0;
  const out = new Int32Array(pool.length);
  for (let i = 0; i < pool.length; i++) if (decision[pool[i]!] === PENDING) out[n++] = pool[i]!;
  return out.slice(0, n);
}

function medianOfCounts(counts: Int32Array, n: number): number {
  if (n === 0) return Number.NaN;
  const lowerPos = Math.floor((n - 1) / 2);
  const upperPos = Math.floor(n / 2);
  let seen = 0;
  let lower = Number.NaN;
  for (let s = 0; s < counts.length; s++) {
    const c = counts[s]!;
    if (c === 0) continue;
    if (Number.isNaN(lower) && seen + c > lowerPos) lower = s;
    if (seen + c > upperPos) return (lower + s) / 2;
    seen += c;
  }
  return lower;
}

function emptyRound(quarter: number, exercise: boolean): RoundMetrics {
  const none = Number.NaN;
  return {
    quarter,
    exercise,
    arrivals: 0,
    assessed: 0,
    backlog: 0,
    refused_prerequisites: 0,
    refused_below_pass_mark: 0,
    passed: 0,
    candidates: 0,
    quota: none,
    carried_in: none,
    allotted: 0,
    allotted_apt: 0,
    cutoff_score: none,
    median_allotted_score: none,
    not_selected: 0,
    unused_quota: none,
    carried_over: none,
    withdrawn: 0,
    persons_admitted: 0,
  };
}
