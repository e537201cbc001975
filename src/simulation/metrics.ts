import { SEXES } from "../applicants/record.js";
import { formatQuarter } from "../dates.js";
import { ROUTES } from "../rules/types.js";
import { AGE_BANDS, type Applications, EDUCATION_LEVELS } from "./store.js";
import { ALLOTTED, DECISIONS, type RoundMetrics, type RunResult } from "./timeline.js";

/** One group of one dimension: who applied and who was allotted. */
export interface CohortRow {
  dimension: "age_band" | "sex" | "region" | "sector" | "education" | "route";
  group: string;
  applications: number;
  assessed: number;
  passed: number;
  allotted: number;
  /** this group's share of all applications */
  share_of_applications: number;
  /** this group's share of all allotments (NaN when nobody was allotted) */
  share_of_allotted: number;
  /** allotted / applications of this group */
  allotment_rate: number;
}

export const COHORT_DIMENSIONS = ["age_band", "sex", "region", "sector", "education", "route"] as const;

function dimensionColumn(
  apps: Applications,
  dim: CohortRow["dimension"],
): { codes: Uint8Array | Uint16Array; names: readonly string[] } {
  switch (dim) {
    case "age_band":
      return { codes: apps.ageBand, names: AGE_BANDS };
    case "sex":
      return { codes: apps.sex, names: SEXES };
    case "region":
      return { codes: apps.region, names: apps.regions.values };
    case "sector":
      return { codes: apps.sector, names: apps.sectors.values };
    case "education":
      return { codes: apps.education, names: EDUCATION_LEVELS };
    case "route":
      return { codes: apps.route, names: ROUTES };
  }
}

// The loops over every application (cohortTable, summarizeRun) are functions of their own: inside the
// larger functions V8 compiled them on the fly and recompiled the whole when the code around them first
// ran (cohortTable 5 times in 1,000 replications).

/** Per group code: applications, assessed, passed and allotted (added to the arrays given). */
function countByGroup(
  codes: Uint8Array | Uint16Array,
  n: number,
  assessmentQuarter: Int16Array,
  eligible: Uint8Array,
  passedColumn: Uint8Array,
  decision: Uint8Array,
  applied: Float64Array,
  assessed: Float64Array,
  passed: Float64Array,
  allotted: Float64Array,
): void {
  for (let g = 0; g < n; g++) {
    const c = codes[g]!;
    applied[c]!++;
    if (assessmentQuarter[g]! >= 0) {
      assessed[c]!++;
      if (eligible[g] && passedColumn[g]) passed[c]!++;
    }
    if (decision[g] === ALLOTTED) allotted[c]!++;
  }
}

/** Applicants vs allottees by age band, sex, region, sector, education and route. */
export function cohortTable(result: RunResult): CohortRow[] {
  const { apps, decision, assessmentQuarter } = result;
  let totalAllotted = 0;
  for (let g = 0; g < apps.size; g++) if (decision[g] === ALLOTTED) totalAllotted++;
  const rows: CohortRow[] = [];
  for (const dim of COHORT_DIMENSIONS) {
    const { codes, names } = dimensionColumn(apps, dim);
    const k = names.length;
    const applied = new Float64Array(k);
    const assessed = new Float64Array(k);
    const passed = new Float64Array(k);
    const allotted = new Float64Array(k);
    countByGroup(
      codes,
      apps.size,
      assessmentQuarter,
      apps.eligible,
      apps.passed,
      decision,
      applied,
      assessed,
      passed,
      allotted,
    );
    // Regions and sectors in name order so the table does not depend on arrival order.
    const order = names.map((_, i) => i);
    if (dim === "region" || dim === "sector")
      order.sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
    for (const c of order) {
      if (applied[c] === 0 && (dim === "region" || dim === "sector")) continue;
      rows.push({
        dimension: dim,
        group: names[c]!,
        applications: applied[c]!,
        assessed: assessed[c]!,
        passed: passed[c]!,
        allotted: allotted[c]!,
        share_of_applications: apps.size > 0 ? applied[c]! / apps.size : Number.NaN,
        share_of_allotted: totalAllotted > 0 ? allotted[c]! / totalAllotted : Number.NaN,
        allotment_rate: applied[c]! > 0 ? allotted[c]! / applied[c]! : Number.NaN,
      });
    }
  }
  return rows;
}

/** Whole-run figures: the five-line summary and more. */
export interface RunSummary {
  applications: number;
  allotted: number;
  allotted_apt: number;
  persons_admitted: number;
  refused_prerequisites: number;
  refused_below_pass_mark: number;
  not_selected: number;
  withdrawn: number;
  pending: number;
  exercises: number;
  quota_offered: number;
  /** median over exercises of the cutoff score (exercises with a GPT allotment) */
  median_cutoff_score: number;
  /** median days from application to decision, over decided applications */
  median_wait_days: number;
  median_wait_days_allotted: number;
}

/** The longest wait of waitDays[0..n) (0 for none). */
function largestWait(waitDays: Int32Array, n: number): number {
  let maxWait = 0;
  for (let g = 0; g < n; g++) if (waitDays[g]! > maxWait) maxWait = waitDays[g]!;
  return maxWait;
}

/** Counts per decision code, and histograms of the waits (all decided, allotted). */
function countDecisionsAndWaits(
  decision: Uint8Array,
  waitDays: Int32Array,
  n: number,
  byDecision: Float64Array,
  waitAll: Float64Array,
  waitAllotted: Float64Array,
): void {
  for (let g = 0; g < n; g++) {
    const d = decision[g]!;
    byDecision[d]!++;
    const w = waitDays[g]!;
    if (w >= 0) {
      waitAll[w]!++;
      if (d === ALLOTTED) waitAllotted[w]!++;
    }
  }
}

export function summarizeRun(result: RunResult): RunSummary {
  const { apps, decision, waitDays } = result;
  const byDecision = new Float64Array(DECISIONS.length);
  // Waits are whole days: medians from histograms, with no array of millions to sort.
  const maxWait = largestWait(waitDays, apps.size);
  const waitAll = new Float64Array(maxWait + 1);
  const waitAllotted = new Float64Array(maxWait + 1);
  countDecisionsAndWaits(decision, waitDays, apps.size, byDecision, waitAll, waitAllotted);
  const ex = result.rounds.filter((r) => r.exercise);
  const cutoffs: number[] = [];
  for (const r of ex) if (!Number.isNaN(r.cutoff_score)) cutoffs.push(r.cutoff_score);
  const sum = (f: (r: RoundMetrics) => number) => result.rounds.reduce((a, r) => a + f(r), 0);
  return {
    applications: apps.size,
    allotted: byDecision[1]!,
    allotted_apt: sum((r) => r.allotted_apt),
    persons_admitted: sum((r) => r.persons_admitted),
    refused_prerequisites: byDecision[2]!,
    refused_below_pass_mark: byDecision[3]!,
    not_selected: byDecision[4]!,
    withdrawn: byDecision[5]!,
    pending: byDecision[0]!,
    exercises: ex.length,
    quota_offered: ex.reduce((a, r) => a + r.quota, 0),
    median_cutoff_score: median(cutoffs),
    median_wait_days: medianOfHistogram(waitAll),
    median_wait_days_allotted: medianOfHistogram(waitAllotted),
  };
}

/** Median of numbers (NaN for none). */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median of whole numbers given as counts per value (counts[v] = how many equal v); NaN for none. */
export function medianOfHistogram(counts: ArrayLike<number>): number {
  let n = 0;
  for (let v = 0; v < counts.length; v++) n += counts[v]!;
  if (n === 0) return Number.NaN;
  const lowerPos = Math.floor((n - 1) / 2);
  const upperPos = Math.floor(n / 2);
  let seen = 0;
  let lower = Number.NaN;
  for (let v = 0; v < counts.length; v++) {
    const c = counts[v]!;
    if (c === 0) continue;
    if (Number.isNaN(lower) && seen + c > lowerPos) lower = v;
    if (seen + c > upperPos) return (lower + v) / 2;
    seen += c;
  }
  return lower;
}

/** Round metric names, in the column order of rounds.csv. */
export const ROUND_METRICS = [
  "arrivals",
  "assessed",
  "backlog",
  "refused_prerequisites",
  "refused_below_pass_mark",
  "passed",
  "candidates",
  "quota",
  "carried_in",
  "allotted",
  "allotted_apt",
  "cutoff_score",
  "median_allotted_score",
  "not_selected",
  "unused_quota",
  "carried_over",
  "withdrawn",
  "persons_admitted",
] as const satisfies readonly (keyof RoundMetrics)[];

export const COHORT_METRICS = [
  "applications",
  "allotted",
  "share_of_applications",
  "share_of_allotted",
  "allotment_rate",
] as const;

/**
 * Every figure of a run as one flat name → number table, for replications and comparisons:
 * `total.<summary field>`, `round.<YYYYQn>.<round metric>`, `cohort.<dimension>.<group>.<metric>`.
 * Names depend only on the scenario and the groups present, values are NaN where undefined.
 */
export function metricTable(result: RunResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(summarizeRun(result))) out[`total.${k}`] = v;
  for (const r of result.rounds) {
    const q = formatQuarter(r.quarter);
    for (const k of ROUND_METRICS) out[`round.${q}.${k}`] = r[k];
  }
  for (const c of cohortTable(result)) {
    for (const k of COHORT_METRICS) out[`cohort.${c.dimension}.${c.group}.${k}`] = c[k];
  }
  return out;
}
