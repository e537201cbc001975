import { poolFromApplicants } from "../../src/applicants/pool.js";
import { defaultApplicant } from "../../src/applicants/record.js";
import type { PoolScores } from "../../src/rules/types.js";
import { scenarioSchema } from "../../src/scenario/schema.js";
import { Applications } from "../../src/simulation/store.js";
import type { Policy } from "../../src/simulation/timeline.js";

/** A hand-made application: what scoring would have produced, without a rule book. */
export interface TestApp {
  id?: string;
  applied_on: string;
  total: number;
  /** "gpt" (default) or "apt" */
  route?: "gpt" | "apt";
  eligible?: boolean;
  /** default: eligible and total >= passMark */
  passed?: boolean;
  sector?: string;
  spouse?: boolean;
  children?: number;
  ruleSet?: string;
}

export const PASS_MARK = 80;

/** Applications from hand-made rows, with hand-made PoolScores (the engine does not care how they were scored). */
export function makeApps(rows: readonly TestApp[]): Applications {
  const pool = poolFromApplicants(
    rows.map((r, i) => ({
      ...defaultApplicant(r.id ?? `A${String(i + 1).padStart(4, "0")}`, r.applied_on, 30),
      sector: r.sector ?? "other",
      spouse_accompanying: r.spouse ?? false,
      children_under_18: r.children ?? 0,
    })),
  );
  const n = rows.length;
  const ruleSetIds: string[] = [];
  const ruleSet = new Uint8Array(n);
  rows.forEach((r, i) => {
    const id = r.ruleSet ?? "test-rules";
    if (!ruleSetIds.includes(id)) ruleSetIds.push(id);
    ruleSet[i] = ruleSetIds.indexOf(id);
  });
  const eligible = Uint8Array.from(rows, (r) => (r.eligible === false ? 0 : 1));
  const scores: PoolScores = {
    size: n,
    ruleSetIds,
    ruleSet,
    route: Uint8Array.from(rows, (r) => (r.route === "apt" ? 1 : 0)),
    eligible,
    failedPrerequisites: new Uint32Array(n),
    total: Int16Array.from(rows, (r) => r.total),
    passed: Uint8Array.from(rows, (r, i) =>
      (r.passed ?? (eligible[i] === 1 && (r.route === "apt" || r.total >= PASS_MARK))) ? 1 : 0,
    ),
    factorIds: [],
    factorPoints: [],
  };
  const apps = new Applications(n);
  apps.add(pool, scores);
  return apps;
}

/** A policy with the scenario defaults, overridden by `over`. Quarters: from 2019Q1. */
export function makePolicy(over: Partial<Policy> = {}): Policy {
  const defaults = scenarioSchema.parse({
    pool: { spec: "x", arrivals_per_quarter: 1 },
    quota: { per_year: 1000 },
  });
  return {
    firstQuarter: 2019 * 4,
    quarters: 4,
    assessmentCapacity: defaults.assessment_capacity,
    exercisesPerYear: defaults.exercises_per_year,
    quota: defaults.quota,
    unusedQuota: defaults.unused_quota,
    tieBreak: defaults.tie_break,
    aptFirst: defaults.apt_first,
    poolRounds: defaults.pool_rounds,
    withdrawalPerQuarter: defaults.withdrawal_per_quarter,
    committee: defaults.committee,
    ...over,
  };
}

export function quota(
  perYear: number | "unlimited",
  changes: { from: string; per_year: number | "unlimited" }[] = [],
): Policy["quota"] {
  return { per_year: perYear, changes };
}

/** Values of a per-application column in the order the test rows were given (the store keeps date order). */
export function byRow<T extends ArrayLike<number>>(apps: Applications, column: T): number[] {
  const out = new Array<number>(apps.size);
  for (let g = 0; g < apps.size; g++) out[apps.row[g]!] = column[g]!;
  return out;
}
