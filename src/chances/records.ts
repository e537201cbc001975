import { quarterOfDay } from "../dates.js";
import { ROUTE_APT } from "../selection/rank.js";
import {
  ALLOTTED,
  PENDING,
  REFUSED_BELOW_PASS_MARK,
  REFUSED_PREREQUISITES,
  type RunResult,
  WITHDRAWN,
} from "../simulation/timeline.js";

/**
 * What a forecast needs to know of one replication, read from its RunResult after the run (the run
 * itself is not touched: no probe application joins the pool). For a hypothetical application made
 * on `fromDay`: the quarter it would have been assessed in, and for each of the next exercises it would
 * take part in, the places, how many were allotted, and the allotted and ranked candidates by score, so
 * that for any score one can count how many approved candidates ranked ahead of it.
 */
export interface ExerciseRecord {
  /** quarter of the exercise, relative to the run's first quarter */
  k: number;
  /** places the exercise could fill (its own quota plus carry-over); Infinity = no quota */
  places: number;
  allotted: number;
  /**
   * per score (index = total; the last index = an APT pass ranked before every score): allotted
   * candidates who applied on or before `fromDay` (they rank ahead of a tie) and after it
   */
  allottedEarly: Int32Array;
  allottedLate: Int32Array;
  /** the same for every candidate ranked in the exercise, allotted or not */
  rankedEarly: Int32Array;
  rankedLate: Int32Array;
}

export interface ReplicationRecord {
  /** quarter (relative) the hypothetical application would be assessed in; -1 = not within the run */
  assessedAt: number;
  /** the exercises it would take part in, at most K, in order */
  exercises: ExerciseRecord[];
  /** per sector name: ranked GPT/criteria candidates in those exercises (the pool's sector mix) */
  sectors: Record<string, number>;
  /** lowest GPT/criteria score allotted in each of the K calendar exercises from fromDay (NaN = none) */
  calendarCutoffs: number[];
}

/** Bucket of the histograms holding APT passes ranked before every score (apt_first). */
export const APT_BUCKET = 1024;
const BUCKETS = APT_BUCKET + 1;

export interface RecordOptions {
  fromDay: number;
  exercises: number;
  aptFirst: boolean;
}

/** The exercises (relative quarters) of a run, in order. */
export function exerciseQuarters(result: RunResult): number[] {
  return result.rounds.flatMap((r, k) => (r.exercise ? [k] : []));
}

/** The first `count` exercises held on or after the quarter of `day` (calendar exercises). */
export function calendarExercises(result: RunResult, day: number, count: number): number[] {
  const from = quarterOfDay(day) - result.policy.firstQuarter;
  return exerciseQuarters(result)
    .filter((k) => k >= from)
    .slice(0, count);
}

/**
 * The quarter an application made on `day` would be assessed in: first come, first assessed, so no
 * later than the first application made on or after that day that was assessed, and not before its
 * lag has passed. -1 when no such application was assessed within the run.
 */
export function assessmentQuarterOf(result: RunResult, day: number): number {
  const { apps, assessmentQuarter, policy } = result;
  const arrival = quarterOfDay(day) - policy.firstQuarter;
  if (arrival >= policy.quarters) return -1;
  const lag =
    policy.schedule?.[Math.max(0, arrival)]?.assessmentLagQuarters ?? policy.assessmentLagQuarters ?? 0;
  const earliest = Math.max(0, arrival) + lag;
  for (let g = 0; g < apps.size; g++) {
    if (apps.appliedOn[g]! < day || assessmentQuarter[g]! < 0) continue;
    const q = Math.max(earliest, assessmentQuarter[g]!);
    return q < policy.quarters ? q : -1;
  }
  // nobody applied after it: only an unlimited capacity says when it would have been assessed
  const capacity = policy.schedule?.[Math.max(0, arrival)]?.assessmentCapacity ?? policy.assessmentCapacity;
  return capacity === null && earliest < policy.quarters ? earliest : -1;
}

function histogramKey(total: number, route: number, aptFirst: boolean): number {
  if (aptFirst && route === ROUTE_APT) return APT_BUCKET;
  return Math.min(Math.max(total, 0), APT_BUCKET - 1);
}

/** Whether application g was among the candidates ranked in the exercise of quarter k. */
function rankedIn(result: RunResult, g: number, k: number): boolean {
  const a = result.assessmentQuarter[g]!;
  if (a < 0 || a > k) return false;
  const d = result.decision[g]!;
  if (d === REFUSED_PREREQUISITES || d === REFUSED_BELOW_PASS_MARK) return false;
  if (d === PENDING) return true;
  const at = result.decisionQuarter[g]!;
  // a withdrawal happens at the start of its quarter, before that quarter's exercise
  return at > k || (at === k && d !== WITHDRAWN);
}

export function replicationRecord(result: RunResult, opts: RecordOptions): ReplicationRecord {
  const assessedAt = assessmentQuarterOf(result, opts.fromDay);
  const own = assessedAt < 0 ? [] : exerciseQuarters(result).filter((k) => k >= assessedAt);
  const quarters = own.slice(0, opts.exercises);
  const exercises = quarters.map((k) => emptyRecord(result, k));
  const { apps, decision, decisionQuarter } = result;
  const sectorCounts = new Map<number, number>();
  const first = quarters[0];
  const last = quarters[quarters.length - 1];
  if (first !== undefined && last !== undefined) {
    for (let g = 0; g < apps.size; g++) {
      const a = result.assessmentQuarter[g]!;
      if (a < 0 || a > last) continue;
      const key = histogramKey(apps.total[g]!, apps.route[g]!, opts.aptFirst);
      const early = apps.appliedOn[g]! <= opts.fromDay;
      for (const e of exercises) {
        if (!rankedIn(result, g, e.k)) continue;
        (early ? e.rankedEarly : e.rankedLate)[key]!++;
        if (apps.route[g] !== ROUTE_APT)
          sectorCounts.set(apps.sector[g]!, (sectorCounts.get(apps.sector[g]!) ?? 0) + 1);
        if (decision[g] === ALLOTTED && decisionQuarter[g] === e.k)
          (early ? e.allottedEarly : e.allottedLate)[key]!++;
      }
    }
  }
  const sectors: Record<string, number> = {};
  for (const [code, n] of [...sectorCounts.entries()].sort((x, y) => x[0] - y[0]))
    sectors[apps.sectors.values[code] ?? String(code)] = n;
  const calendarCutoffs = calendarExercises(result, opts.fromDay, opts.exercises).map(
    (k) => result.rounds[k]!.cutoff_score,
  );
  return { assessedAt, exercises, sectors, calendarCutoffs };
}

function emptyRecord(result: RunResult, k: number): ExerciseRecord {
  const round = result.rounds[k]!;
  const own = round.quota;
  const places = Number.isFinite(own)
    ? Math.max(0, own + (Number.isFinite(round.carried_in) ? round.carried_in : 0))
    : Number.POSITIVE_INFINITY;
  return {
    k,
    places,
    allotted: round.allotted,
    allottedEarly: new Int32Array(BUCKETS),
    allottedLate: new Int32Array(BUCKETS),
    rankedEarly: new Int32Array(BUCKETS),
    rankedLate: new Int32Array(BUCKETS),
  };
}
