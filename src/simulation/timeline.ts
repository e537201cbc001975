import { quarterOfDay, quarterStartDay } from "../dates.js";
import { createRng, deriveSeed } from "../random.js";
import type { CommitteeConfig, QuotaConfig, TieBreak, UnusedQuotaMode } from "../scenario/schema.js";
import { buildCommittee, runExercise } from "../selection/exercise.js";
import { carryOver, exerciseQuota, isExerciseQuarter } from "../selection/quota.js";
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
  /** applications assessed per quarter; null = unlimited */
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
 */
export function* simulation(
  apps: Applications,
  policy: Policy,
  seed: string | number,
): Generator<number, RunResult, void> {
  const cap = apps.capacity;
  const decision = new Uint8Array(cap);
  const arrivalQuarter = new Int16Array(cap).fill(-1);
  const assessmentQuarter = new Int16Array(cap).fill(-1);
  const decisionQuarter = new Int16Array(cap).fill(-1);
  const rank = new Int32Array(cap);
  const waitDays = new Int32Array(cap).fill(-1);
  // Applications are numbered in applied_on order (see Applications.add): the queue is 0, 1, 2, ...
  let arrivePtr = 0;
  let assessPtr = 0;
  let backlog = 0;
  let pool: Int32Array = new Int32Array(0);
  /** exercises left before a pooled application is refused */
  const roundsLeft = new Uint8Array(cap);
  const committeeOn = policy.committee !== null;
  const lotteryOn = policy.tieBreak.includes("lottery");
  const compareIds = (a: number, b: number) => apps.compareIds(a, b);
  const rounds: RoundMetrics[] = [];
  const exerciseQuarters: number[] = [];
  for (let k = 0; k < policy.quarters; k++) {
    if (isExerciseQuarter(policy.firstQuarter + k, policy.exercisesPerYear))
      exerciseQuarters.push(policy.firstQuarter + k);
  }
  const exerciseNumber = new Map(exerciseQuarters.map((q, i) => [q, i]));
  const indexInYear = exerciseQuarters.map(
    (q) => exerciseQuarters.filter((p) => Math.floor(p / 4) === Math.floor(q / 4) && p < q).length,
  );
  let carried = 0;

  /** last day of each quarter of the run: the decision date used for waiting times */
  const lastDay = Int32Array.from(
    { length: policy.quarters },
    (_, k) => quarterStartDay(policy.firstQuarter + k + 1) - 1,
  );
  const decide = (g: number, code: number, k: number) => {
    decision[g] = code;
    decisionQuarter[g] = k;
    waitDays[g] = lastDay[k]! - apps.appliedOn[g]!;
  };

  for (let k = 0; k < policy.quarters; k++) {
    const quarter = policy.firstQuarter + k;
    yield quarter;
    const queued = apps.size;
    const m = emptyRound(quarter, exerciseNumber.has(quarter));

    // Withdrawals among those already waiting (backlog and pool), before this quarter's arrivals join.
    if (policy.withdrawalPerQuarter > 0) {
      const rng = createRng(deriveSeed(seed, "withdrawal", quarter));
      const p = policy.withdrawalPerQuarter;
      for (let i = assessPtr; i < arrivePtr; i++) {
        const g = i;
        if (decision[g] === PENDING && rng.next() < p) {
          decide(g, WITHDRAWN, k);
          backlog--;
          m.withdrawn++;
        }
      }
      for (let i = 0; i < pool.length; i++) {
        const g = pool[i]!;
        if (rng.next() < p) {
          decide(g, WITHDRAWN, k);
          m.withdrawn++;
        }
      }
      if (m.withdrawn > 0) pool = keepPending(pool, decision);
    }

    // Arrivals of this quarter (and, in the first quarter, anything dated earlier).
    const end = quarterStartDay(quarter + 1);
    const appliedOn = apps.appliedOn;
    const arrivedBefore = arrivePtr;
    while (arrivePtr < queued && appliedOn[arrivePtr]! < end) arrivalQuarter[arrivePtr++] = k;
    m.arrivals = arrivePtr - arrivedBefore;
    backlog += m.arrivals;

    // Assessment, oldest first, up to the capacity. Passes join the pool behind those already in it.
    const capacity = policy.assessmentCapacity ?? Number.POSITIVE_INFINITY;
    const room = Math.min(arrivePtr - assessPtr, capacity);
    const merged = new Int32Array(pool.length + room);
    merged.set(pool);
    let poolSize = pool.length;
    let assessed = 0;
    let refusedPrerequisites = 0;
    let refusedBelow = 0;
    const { eligible, passed } = apps;
    while (assessPtr < arrivePtr && assessed < capacity) {
      const g = assessPtr++;
      if (decision[g] !== PENDING) continue;
      assessmentQuarter[g] = k;
      assessed++;
      if (eligible[g] === 0) {
        decide(g, REFUSED_PREREQUISITES, k);
        refusedPrerequisites++;
      } else if (passed[g] === 0) {
        decide(g, REFUSED_BELOW_PASS_MARK, k);
        refusedBelow++;
      } else {
        roundsLeft[g] = policy.poolRounds;
        merged[poolSize++] = g;
      }
    }
    // Skip over entries already decided (withdrawn) so the pointer always rests on a waiting one.
    while (assessPtr < arrivePtr && decision[assessPtr] !== PENDING) assessPtr++;
    backlog -= assessed;
    m.assessed = assessed;
    m.refused_prerequisites = refusedPrerequisites;
    m.refused_below_pass_mark = refusedBelow;
    m.passed = poolSize - pool.length;
    m.backlog = backlog;
    pool = merged.subarray(0, poolSize);

    if (m.exercise) {
      const n = exerciseNumber.get(quarter)!;
      const own = exerciseQuota(
        policy.quota,
        policy.exercisesPerYear,
        { quarter, day: end - 1, indexInYear: indexInYear[n]! },
        n,
      );
      if (Number.isNaN(own)) throw new Error(`no quota given for exercise ${n + 1}`);
      const quota = own + carried;
      const outcome = runExercise(
        { total: apps.total, route: apps.route, appliedOn: apps.appliedOn, sector: apps.sector, compareIds },
        {
          candidates: pool,
          quota,
          tieBreak: policy.tieBreak,
          aptFirst: policy.aptFirst,
          lottery: lotteryOn ? createRng(deriveSeed(seed, "lottery", quarter)) : null,
          committee: committeeOn ? buildCommittee(policy.committee!, apps.sectors.values) : null,
          committeeRng: committeeOn ? createRng(deriveSeed(seed, "committee", quarter)) : null,
        },
      );
      m.candidates = pool.length;
      m.quota = own;
      m.carried_in = Number.isFinite(own) ? carried : Number.NaN;
      const scoreCounts = new Int32Array(1 << 10);
      let cutoff = Number.POSITIVE_INFINITY;
      // Ranks and allotments are written in rank order; the rest is done in a sequential pass over
      // the pool (kept in application order), which touches the columns in memory order.
      const order = outcome.order;
      const allottedAt = outcome.allotted;
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
          decide(g, ALLOTTED, k);
          allotted++;
          personsAdmitted += persons[g]!;
          const t = Math.max(total[g]!, 0);
          scoreCounts[t]!++;
          if (route[g] === ROUTE_APT) allottedApt++;
          else if (t < cutoff) cutoff = t;
        } else if (--roundsLeft[g]! === 0) {
          decide(g, NOT_SELECTED, k);
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
      const next = exerciseQuarters[n + 1];
      carried = carryOver(policy.unusedQuota, m.unused_quota, quarter, next);
      m.carried_over = Number.isFinite(quota) ? carried : Number.NaN;
      pool = keepPending(pool, decision);
    }
    rounds.push(m);
  }
  // Applications dated after the run never arrive: they stay pending, with their own arrival quarter.
  for (let g = arrivePtr; g < apps.size; g++) {
    arrivalQuarter[g] = quarterOfDay(apps.appliedOn[g]!) - policy.firstQuarter;
  }
  return {
    policy,
    apps,
    decision,
    arrivalQuarter,
    assessmentQuarter,
    decisionQuarter,
    rank,
    waitDays,
    rounds,
  };
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
