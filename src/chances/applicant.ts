import { readApplicantCsv } from "../applicants/csv/index.js";
import { applicantAt, idOf } from "../applicants/pool.js";
import type { Applicant } from "../applicants/record.js";
import { InputError } from "../errors.js";
import { type Explanation, explainApplicant, type Hint } from "../rules/explain.js";
import { scoreApplicant } from "../rules/score.js";
import type { Scenario } from "../scenario/schema.js";
import { scalesOf } from "../simulation/run.js";
import { type ChancesForecast, chancesOf } from "./forecast.js";
import {
  allottedAhead,
  type Estimate,
  estimate,
  type Hypothetical,
  keyOf,
  type Route,
  rankedAhead,
} from "./probability.js";

/**
 * One person's chances: their application (from an applicant CSV) made on the forecast's day, scored
 * under the rules in force, its probability within each k with its interval (for their own sector,
 * whose standard weight applies), the scores (and explain's hints) that would lift it to 50 % and
 * 90 %, and how many candidates are expected to rank ahead of it in its first exercise.
 */
export interface ApplicantChances {
  id: string;
  explanation: Explanation;
  route: Route;
  total: number;
  sector: string;
  /** prerequisites met and score passing: otherwise every probability is 0 */
  passes: boolean;
  /** per k = 1..K */
  chances: (Estimate & { k: number })[];
  targets: Target[];
  ahead: Ahead | null;
  /**
   * within K exercises if every re-application were judged afresh (the upper bound), when the
   * forecast keeps the case's latent quality; null otherwise
   */
  afresh: Estimate | null;
}

export interface Target {
  level: number;
  /** within this many exercises */
  k: number;
  /** lowest score reaching the level, null when no score on the table does */
  score: number | null;
  /** points (or criteria) more than now; 0 when already there */
  gain: number | null;
  /** single changes from explain's hints that add at least `gain` */
  hints: Hint[];
  /** when no single change does: explain's hints taken together, largest first, until they add `gain` */
  combined: { changes: string[]; total: number } | null;
  /** the best the table offers, when no score reaches the level */
  best: Estimate & { score: number };
}

export interface Ahead {
  /** mean over replications, in the application's first exercise */
  ranked: number;
  approved: number;
  /** mean places of that exercise; null = no quota */
  places: number | null;
}

export const TARGET_LEVELS = [0.5, 0.9] as const;

export async function readApplicant(file: string, id: string): Promise<Applicant> {
  const read = await readApplicantCsv(file);
  for (let i = 0; i < read.pool.size; i++) if (idOf(read.pool, i) === id) return applicantAt(read.pool, i);
  throw new InputError(`${file}: no applicant with id '${id}'`);
}

export function applicantChances(f: ChancesForecast, person: Applicant): ApplicantChances {
  const scenario = f.unit.scenario as unknown as Scenario;
  // the application is made on the forecast's day: the rules and Talent Lists of that day apply
  const applicant: Applicant = { ...person, applied_on: f.options.from };
  const explanation = explainApplicant(
    applicant,
    f.ruleSet,
    f.ruleBook,
    scenario.pass_mark === null ? undefined : { passMark: scenario.pass_mark },
  );
  const result = explanation.result;
  const scale = scalesOf(f.ruleBook)[f.ruleSet.id]!;
  const route: Route = result.route === "apt" ? "apt" : f.route;
  const K = f.options.exercises;
  const hypothetical = (total: number): Hypothetical => ({ route, total, scale, sector: applicant.sector });
  const at = (total: number) => chancesOf(f.records, hypothetical(total), f.policy, K, f.aptFirst);
  const passes = result.eligible && result.passed;
  const own = passes ? at(result.total) : [];
  const chances = Array.from({ length: K }, (_, j) => ({
    k: j + 1,
    ...(passes ? estimate(own, j) : none()),
  }));
  const targets: Target[] = [];
  if (route !== "apt" && result.eligible) {
    const byScore = Array.from({ length: scale.max + 1 }, (_, s) => at(s));
    const options = scenario.pass_mark === null ? undefined : { passMark: scenario.pass_mark };
    const rescore = (set: Partial<Applicant>) =>
      scoreApplicant({ ...applicant, ...set }, f.ruleSet, f.ruleBook, options).total;
    for (const level of TARGET_LEVELS)
      for (const k of K > 1 ? [1, K] : [1])
        targets.push(targetFor(level, k, byScore, result.total, explanation, rescore));
  }
  return {
    id: applicant.id,
    explanation,
    route,
    total: result.total,
    sector: applicant.sector,
    passes,
    chances,
    targets,
    ahead: passes ? aheadOf(f, hypothetical(result.total)) : null,
    afresh:
      passes && K > 1 && f.latentVerdicts && f.policy.reapply === "same"
        ? estimate(
            chancesOf(
              f.records,
              hypothetical(result.total),
              { ...f.policy, reapply: "fresh" },
              K,
              f.aptFirst,
            ),
            K - 1,
          )
        : null,
  };
}

function none(): Estimate {
  return { p: 0, low: 0, high: 0 };
}

function targetFor(
  level: number,
  k: number,
  byScore: ReturnType<typeof chancesOf>[],
  total: number,
  explanation: Explanation,
  rescore: (set: Partial<Applicant>) => number,
): Target {
  let best = { score: 0, ...none() };
  for (let s = 0; s < byScore.length; s++) {
    const e = estimate(byScore[s]!, k - 1);
    if (e.p > best.p) best = { score: s, ...e };
    if (e.p >= level) {
      const gain = Math.max(0, s - total);
      const hints =
        gain === 0
          ? []
          : explanation.hints
              .filter((h) => h.gain >= gain)
              .sort((a, b) => a.gain - b.gain)
              .slice(0, 3);
      const combined = gain > 0 && hints.length === 0 ? combine(s, explanation, rescore) : null;
      return { level, k, score: s, gain, hints, combined, best };
    }
  }
  return { level, k, score: null, gain: null, hints: [], combined: null, best };
}

/**
 * explain's hints applied together, the largest first, each kept only when the rescored total rises
 * (two hints on one capped factor do not add up), until the total reaches `score`; null when all of
 * them do not.
 */
function combine(
  score: number,
  explanation: Explanation,
  rescore: (set: Partial<Applicant>) => number,
): { changes: string[]; total: number } | null {
  let set: Partial<Applicant> = {};
  let total = explanation.result.total;
  const changes: string[] = [];
  for (const h of [...explanation.hints].sort((a, b) => b.gain - a.gain)) {
    const next = { ...set, ...h.set };
    const t = rescore(next);
    if (t <= total) continue;
    set = next;
    total = t;
    changes.push(h.change);
    if (total >= score) return { changes, total };
  }
  return null;
}

function aheadOf(f: ChancesForecast, h: Hypothetical): Ahead | null {
  const key = keyOf(h, f.aptFirst);
  const firsts = f.records.flatMap((r) => (r.exercises[0] ? [r.exercises[0]] : []));
  if (firsts.length === 0) return null;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const finitePlaces = firsts.every((e) => Number.isFinite(e.places));
  return {
    ranked: mean(firsts.map((e) => rankedAhead(e, key))),
    approved: mean(firsts.map((e) => allottedAhead(e, key))),
    places: finitePlaces ? mean(firsts.map((e) => e.places)) : null,
  };
}
