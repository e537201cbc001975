import type { CommitteeConfig } from "../scenario/schema.js";
import { buildCommittee, standardProbability } from "../selection/exercise.js";
import type { QuarterPolicy, RuleSetScale } from "../simulation/timeline.js";
import { APT_BUCKET, type ExerciseRecord, type ReplicationRecord } from "./records.js";

/**
 * The chance that one hypothetical application is allotted within k exercises, from the records of
 * the replications. Per replication it combines, exercise by exercise:
 *  - the committee's approval probability for that application, computed exactly from the standard in
 *    force (1 when the committee is off): the probability the run's committee draws against;
 *  - whether there was room for it: when the exercise left places unused every approved candidate
 *    was allotted, so it would have been too; when the quota was used up, it gets a place only if
 *    fewer approved candidates than places ranked ahead of it (APT passes first when apt_first, then
 *    higher scores, then those of its score who applied no later than it).
 * A refused application that applies again keeps its latent quality under a committee standard (the
 * committee judges the same case the same way, as the engine does for a case kept in the pool); with
 * reapply "fresh", or under approval bands, each exercise's verdict is a new draw.
 */
export type Route = "gpt" | "criteria" | "apt";
export type Reapply = "same" | "fresh";

export interface Hypothetical {
  route: Route;
  /** points, criteria met, or (APT) the table's maximum */
  total: number;
  /** the table it is scored on */
  scale: RuleSetScale;
  /** its own sector (its standard weight applies), or undefined: averaged over the pool's sector mix */
  sector?: string;
}

export interface ForecastPolicy {
  /** per quarter of the run (relative), the dated values in force */
  schedule: readonly QuarterPolicy[];
  /** the scenario's own points pass mark (null = each table's own) */
  passMark: number | null;
  reapply: Reapply;
}

/** Whether the application passes the points test or criteria count at assessment in quarter k. */
export function passesAt(h: Hypothetical, policy: ForecastPolicy, k: number): boolean {
  if (h.route === "apt") return true;
  if (h.scale.kind === "criteria") return h.total >= h.scale.pass;
  const mark = policy.schedule[k]?.passMark ?? policy.passMark ?? h.scale.pass;
  return h.total >= mark;
}

/** How the committee of an exercise treats the application: its approval probability and whether the verdict is the case's own. */
export function approvalOf(
  committee: CommitteeConfig | null,
  passMark: number | null,
  h: Hypothetical,
  sector: string | undefined,
): { p: number; latent: boolean } {
  if (!committee) return { p: 1, latent: true };
  const standard = committee.standard;
  if (h.route === "apt") return { p: committee.apt_approval, latent: standard !== undefined };
  if (standard) {
    const weight = sector === undefined ? 0 : (standard.sectors[sector] ?? 0);
    return { p: standardProbability(standard, h.scale, passMark, h.total, weight), latent: true };
  }
  return { p: buildCommittee(committee, []).approval(h.total, 0), latent: false };
}

/** Per exercise: how many allotted / ranked candidates were above each histogram key (computed once). */
const above = new WeakMap<ExerciseRecord, { allotted: Int32Array; ranked: Int32Array }>();

function aboveOf(e: ExerciseRecord): { allotted: Int32Array; ranked: Int32Array } {
  let a = above.get(e);
  if (!a) {
    a = { allotted: new Int32Array(APT_BUCKET + 1), ranked: new Int32Array(APT_BUCKET + 1) };
    for (let i = APT_BUCKET - 1; i >= 0; i--) {
      a.allotted[i] = a.allotted[i + 1]! + e.allottedEarly[i + 1]! + e.allottedLate[i + 1]!;
      a.ranked[i] = a.ranked[i + 1]! + e.rankedEarly[i + 1]! + e.rankedLate[i + 1]!;
    }
    above.set(e, a);
  }
  return a;
}

/** Approved candidates ranked ahead of the application in an exercise (allotted ones: see above). */
export function allottedAhead(e: ExerciseRecord, key: number): number {
  return aboveOf(e).allotted[key]! + e.allottedEarly[key]!;
}

/** Candidates ranked ahead of it (allotted or not). */
export function rankedAhead(e: ExerciseRecord, key: number): number {
  return aboveOf(e).ranked[key]! + e.rankedEarly[key]!;
}

export function keyOf(h: Hypothetical, aptFirst: boolean): number {
  if (h.route === "apt" && aptFirst) return APT_BUCKET;
  return Math.min(Math.max(h.total, 0), APT_BUCKET - 1);
}

/** Whether the exercise had room for the application (see the module comment). */
export function roomFor(e: ExerciseRecord, key: number): boolean {
  return e.allotted < e.places || allottedAhead(e, key) < e.places;
}

/** Per k = 1..K: the probability in this replication, and the committee's alone (as if there were always room). */
export interface ReplicationChance {
  p: number[];
  committeeOnly: number[];
}

/**
 * One replication's chances within k = 1..K exercises. Exercises it never reached (the run ended)
 * give no further chance.
 */
export function replicationChance(
  rec: ReplicationRecord,
  h: Hypothetical,
  policy: ForecastPolicy,
  exercises: number,
  aptFirst: boolean,
): ReplicationChance {
  const zeros = () => new Array<number>(exercises).fill(0);
  if (rec.assessedAt < 0 || !passesAt(h, policy, rec.assessedAt))
    return { p: zeros(), committeeOnly: zeros() };
  const key = keyOf(h, aptFirst);
  const rooms = rec.exercises.map((e) => roomFor(e, key));
  const weighted = rec.exercises.some(
    (e) => Object.keys(policy.schedule[e.k]?.committee?.standard?.sectors ?? {}).length > 0,
  );
  const mix: [string | undefined, number][] =
    weighted || h.sector !== undefined ? sectorMix(rec, h) : [[undefined, 1]];
  const p = zeros();
  const committeeOnly = zeros();
  for (const [sector, share] of mix) {
    const withRoom = new Combined(policy.reapply);
    const always = new Combined(policy.reapply);
    for (let j = 0; j < exercises; j++) {
      const e = rec.exercises[j];
      if (e) {
        const settings = policy.schedule[e.k];
        const a = approvalOf(settings?.committee ?? null, settings?.passMark ?? null, h, sector);
        if (rooms[j]) withRoom.add(a);
        always.add(a);
      }
      p[j]! += share * withRoom.value();
      committeeOnly[j]! += share * always.value();
    }
  }
  return { p, committeeOnly };
}

/**
 * P(approved in at least one exercise) for verdicts that are the case's own (one latent quality u,
 * approved where u < p_j: the largest p_j decides) and verdicts drawn anew each time (independent).
 */
class Combined {
  private maxLatent = 0;
  private missIndependent = 1;
  constructor(private readonly reapply: Reapply) {}
  add(a: { p: number; latent: boolean }): void {
    if (a.latent && this.reapply === "same") this.maxLatent = Math.max(this.maxLatent, a.p);
    else this.missIndependent *= 1 - a.p;
  }
  value(): number {
    return 1 - (1 - this.maxLatent) * this.missIndependent;
  }
}

/** The sectors to average over with their shares: the application's own, or the pool's mix. */
function sectorMix(rec: ReplicationRecord, h: Hypothetical): [string | undefined, number][] {
  if (h.sector !== undefined) return [[h.sector, 1]];
  const entries = Object.entries(rec.sectors);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return [[undefined, 1]];
  return entries.map(([s, n]) => [s, n / total]);
}

export const Z95 = 1.959963984540054;

export interface Estimate {
  p: number;
  low: number;
  high: number;
}

/**
 * The mean of the replications' probabilities with a 95 % interval. Each replication's probability
 * lies between 0 and the committee's own (what it would be with room in every exercise), so their mean
 * divided by the largest committee probability M is the mean of values in [0, 1], whose variance is at
 * most μ(1 − μ): a Wilson score interval on it, scaled back by M, is conservative, never [1, 1] from a
 * few replications, and narrows as replications are added. A score that cannot pass gets [0, 0].
 */
export function estimate(chances: readonly ReplicationChance[], j: number): Estimate {
  const n = chances.length;
  if (n === 0) return { p: 0, low: 0, high: 0 };
  let sum = 0;
  let cap = 0;
  for (const c of chances) {
    sum += c.p[j]!;
    cap = Math.max(cap, c.committeeOnly[j]!);
  }
  const p = sum / n;
  if (cap <= 0) return { p: 0, low: 0, high: 0 };
  const [lo, hi] = wilson(Math.min(1, p / cap), n);
  return { p, low: Math.min(p, lo * cap), high: Math.max(p, hi * cap) };
}

/** Wilson score interval for a proportion x observed over n trials (95 %). */
export function wilson(x: number, n: number, z = Z95): [number, number] {
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (x + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((x * (1 - x)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
