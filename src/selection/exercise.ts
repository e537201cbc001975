import type { Rng } from "../random.js";
import { ROUTE_APT } from "../rules/types.js";
import { type RankColumns, rankCandidates } from "./rank.js";
import type { TieBreak } from "./types.js";

/**
 * The committee model (docs/validation.md: the committee weighs sector mix, so a high score does not guarantee a
 * place). Sector limits are per exercise; approval is a probability by score band.
 */
export interface Committee {
  /** per sector code: most allotments in one exercise (Infinity = no limit) */
  sectorLimit: (sectorCode: number, quota: number) => number;
  /** probability of approval for a candidate with this total (points or criteria met) and route */
  approval: (total: number, route: number) => number;
  /**
   * whether the committee approves application `g`, given this exercise's uniform draw `u` for it;
   * omitted = `u < approval(total, route)`
   */
  approves?: (g: number, u: number) => boolean;
}

export interface ExerciseColumns extends RankColumns {
  sector: Uint16Array;
}

export interface ExerciseInput {
  /** application numbers of the passed applications in the pool */
  candidates: Int32Array;
  /** places available (after carry-over); Infinity = no quota */
  quota: number;
  tieBreak: readonly TieBreak[];
  aptFirst: boolean;
  /** stream for the lottery tie-break (null when no lottery key) */
  lottery: Rng | null;
  committee: Committee | null;
  /** stream for committee approval draws (null when the committee is off) */
  committeeRng: Rng | null;
}

export interface ExerciseOutcome {
  /** candidates in rank order (rank = position + 1) */
  order: Int32Array;
  /** 1 where the candidate at that position is allotted */
  allotted: Uint8Array;
  allottedCount: number;
}

/**
 * One selection exercise: rank, then allot down the ranking until the quota is used. With the
 * committee off this is a strict top-`quota` cut; with it on, candidates may be passed over for their
 * sector's limit or by the approval draw, and places go further down the ranking.
 */
export function runExercise(cols: ExerciseColumns, input: ExerciseInput): ExerciseOutcome {
  const order = rankCandidates(input.candidates, cols, input.tieBreak, input.aptFirst, input.lottery);
  const n = order.length;
  const allotted = new Uint8Array(n);
  const quota = input.quota;
  let count = 0;
  const committee = input.committee;
  if (!committee) {
    const take = Math.min(n, quota);
    allotted.fill(1, 0, take);
    return { order, allotted, allottedCount: take };
  }
  const rng = input.committeeRng;
  if (!rng) throw new Error("the committee model needs a random stream");
  const perSector = new Map<number, number>();
  for (let i = 0; i < n && count < quota; i++) {
    const g = order[i]!;
    // One draw per candidate considered, before any limit check, so the stream does not depend on
    // which limits bind.
    const u = rng.next();
    const sector = cols.sector[g]!;
    const used = perSector.get(sector) ?? 0;
    if (used >= committee.sectorLimit(sector, quota)) continue;
    if (
      committee.approves ? !committee.approves(g, u) : u >= committee.approval(cols.total[g]!, cols.route[g]!)
    )
      continue;
    allotted[i] = 1;
    perSector.set(sector, used + 1);
    count++;
  }
  return { order, allotted, allottedCount: count };
}

export interface ApprovalBand {
  from: number;
  to?: number | undefined;
  probability: number;
}

/** What a committee standard reads of the applications (see CommitteeStandard). */
export interface StandardContext {
  /** per rule set id: its kind, own pass mark and maximum */
  scales: Record<string, { kind: "points" | "criteria"; pass: number; max: number }> | undefined;
  /** points pass mark in force (null = each rule set's own) */
  passMark: number | null;
  ruleSetIds: readonly string[];
  /** per application: index into ruleSetIds */
  ruleSet: Uint8Array;
  /** per application: its latent quality, a uniform in [0, 1) */
  quality: Float64Array | null;
  total: Int16Array;
  route: Uint8Array;
  sector: Uint16Array;
}

/** The committee's approval standard: a logistic model on the score relative to the table in force. */
export interface StandardConfig {
  intercept: number;
  per_relative_score: number;
  sectors: Record<string, number>;
}

/** Build the committee model from scenario settings; sectors are named, the engine uses codes. */
export function buildCommittee(
  cfg: {
    sector_shares: Record<string, number>;
    sector_caps: Record<string, number>;
    approval: ApprovalBand[];
    apt_approval: number;
    standard?: StandardConfig | undefined;
  },
  sectorNames: readonly string[],
  context?: StandardContext,
): Committee {
  const shares = sectorNames.map((s) => cfg.sector_shares[s]);
  const caps = sectorNames.map((s) => cfg.sector_caps[s]);
  const bands = [...cfg.approval];
  const standard = cfg.standard;
  return {
    ...(standard ? { approves: standardApproval(standard, cfg.apt_approval, sectorNames, context) } : {}),
    sectorLimit(code, quota) {
      let limit = Number.POSITIVE_INFINITY;
      const share = shares[code];
      if (share !== undefined && Number.isFinite(quota)) limit = Math.floor(share * quota);
      const cap = caps[code];
      if (cap !== undefined && cap < limit) limit = cap;
      return limit;
    },
    approval(total, route) {
      if (route === ROUTE_APT) return cfg.apt_approval;
      for (const b of bands)
        if (total >= b.from && (b.to === undefined || total < b.to)) return b.probability;
      return 1;
    },
  };
}

/**
 * A committee standard as a test per application: approve when the application's latent quality is
 * below sigmoid(intercept + per_relative_score × r + sector weight), r being the score's place between
 * the pass mark (0) and the table's maximum (1). The quality is the application's own, so a case
 * considered again in a later exercise is judged the same way under the same standard; APT passes are
 * approved with probability apt_approval.
 */
function standardApproval(
  standard: StandardConfig,
  aptApproval: number,
  sectorNames: readonly string[],
  context: StandardContext | undefined,
): (g: number, u: number) => boolean {
  if (!context?.quality || !context.scales)
    throw new Error("a committee standard needs the applications' quality and the rule sets' scales");
  const { quality, scales, ruleSetIds, ruleSet, passMark, total, route, sector } = context;
  const sectorWeight = Float64Array.from(sectorNames, (s) => standard.sectors[s] ?? 0);
  return function approves(this: void, g: number): boolean {
    if (route[g] === ROUTE_APT) return quality[g]! < aptApproval;
    const scale = scales[ruleSetIds[ruleSet[g]!]!];
    return (
      quality[g]! < standardProbability(standard, scale, passMark, total[g]!, sectorWeight[sector[g]!] ?? 0)
    );
  };
}

/**
 * The probability a committee standard approves a GPT or criteria candidate with this total on this
 * scale (pass mark in force: `passMark` for a points table, else the scale's own) and sector weight.
 * Exported so forecasts (src/chances) compute the very probability the engine draws against.
 */
export function standardProbability(
  standard: StandardConfig,
  scale: { kind: "points" | "criteria"; pass: number; max: number } | undefined,
  passMark: number | null,
  total: number,
  sectorWeight: number,
): number {
  let r = 0;
  if (scale) {
    const pass = scale.kind === "points" && passMark !== null ? passMark : scale.pass;
    r = scale.max > pass ? (total - pass) / (scale.max - pass) : 1;
    r = r < 0 ? 0 : r > 1 ? 1 : r;
  }
  const z = standard.intercept + standard.per_relative_score * r + sectorWeight;
  return 1 / (1 + Math.exp(-z));
}
