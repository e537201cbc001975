import type { BooleanField, NumericField } from "../applicants/record.js";

/**
 * A rule set as written in data/rules/<id>.yaml (validated by the schema in ./schema.ts).
 * Conditions are structured data, never code strings.
 */

/** A leaf comparison: exactly one operator per leaf. */
export type Comparison =
  | { field: NumericField; gte: number }
  | { field: NumericField; gt: number }
  | { field: NumericField; lte: number }
  | { field: NumericField; lt: number }
  | { field: NumericField; eq: number }
  | { field: BooleanField; is: boolean }
  | { field: "achievement" | "sex" | "region" | "sector" | "profession"; in: string[] }
  | { field: "achievement" | "sex" | "region" | "sector" | "profession"; not_in: string[] };

export type Condition =
  | Comparison
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  /** holds when at least `at_least` of the listed conditions hold */
  | { at_least: number; of: Condition[] };

export interface Source {
  /** what the source supports, e.g. "age table" */
  about: string;
  url: string;
  /** confidence mark: C2 (two or more sources), S1 (one), X (conflicting), low (agency or blog) */
  confidence?: string;
}

/** Half-open band [from, to) over a number; `to` omitted = no upper end. */
export interface Band {
  from: number;
  to?: number;
  points: number;
  label: string;
}

export interface Rung {
  when: Condition;
  points: number;
  label: string;
}

export type Component =
  | { bands: { field: NumericField; bands: Band[] } }
  /** ordered: the first rung whose condition holds scores */
  | { ladder: Rung[] }
  | { bonus: { when: Condition; points: number; label: string } }
  /** points × value of `field`, counting at most `max_units` units */
  | { per_unit: { field: NumericField; points: number; max_units?: number; label: string } }
  /** points when `field` is a member of the dated list family `list` in force on the application date */
  | { membership: { field: "profession"; list: string; points: number; label: string } };

export interface Factor {
  id: string;
  label: string;
  max: number;
  components: Component[];
}

export interface Prerequisite {
  id: string;
  label: string;
  when: Condition;
}

export interface Criterion {
  id: string;
  label: string;
  when: Condition;
  /** false when the criterion rests on unofficial sources only */
  official: boolean;
  note?: string;
}

interface RuleSetBase {
  id: string;
  title: string;
  /** ISO date, inclusive */
  effective_from: string;
  /** ISO date, exclusive; null = still in force */
  effective_to: string | null;
  /** where a date or value is uncertain, say so here */
  notes?: string[];
  sources: Source[];
  prerequisites: Prerequisite[];
  /** routes the applicant to the Achievement-based Points Test; passing prerequisites then scores `max_total` */
  apt: { when: Condition; label: string };
  max_total: number;
}

export interface PointsRuleSet extends RuleSetBase {
  kind: "points";
  pass: { min_total: number };
  factors: Factor[];
}

export interface CriteriaRuleSet extends RuleSetBase {
  kind: "criteria";
  pass: { min_criteria: number };
  criteria: Criterion[];
}

/**
 * A validated rule set. Never changed in place: condition tables compiled from it are cached by object
 * identity (vector.ts, batch.ts); overrides build a new rule set.
 */
export type RuleSet = PointsRuleSet | CriteriaRuleSet;

/** A dated Talent List (data/talent-lists/<id>.yaml). */
export interface TalentList {
  id: string;
  /** the list family a `membership` component names, e.g. "talent_list" */
  list: string;
  effective_from: string;
  effective_to: string | null;
  professions: { key: string; label: string }[];
  sources: Source[];
  notes?: string[];
}

export type Route = "gpt" | "apt" | "criteria";

/** One factor (or criterion) of a scored applicant. */
export interface FactorScore {
  id: string;
  label: string;
  points: number;
  max: number;
  /** labels of the bands / rungs / bonuses that matched, in order */
  matched: string[];
}

export interface ScoreResult {
  applicantId: string;
  ruleSet: string;
  route: Route;
  eligible: boolean;
  failedPrerequisites: { id: string; label: string }[];
  factors: FactorScore[];
  total: number;
  max: number;
  /** points pass mark, or number of criteria needed */
  passMark: number;
  passed: boolean;
}

export const ROUTES: readonly Route[] = ["gpt", "apt", "criteria"];
/** The codes of the route column (indices into ROUTES). */
export const ROUTE_GPT = 0;
export const ROUTE_APT = 1;
export const ROUTE_CRITERIA = 2;

/**
 * Scores of a whole pool, column by column (the batch path). Per-applicant values index into the
 * arrays of ids; nothing here holds one object per applicant.
 */
export interface PoolScores {
  size: number;
  /** rule sets used (by at least one applicant), in date order */
  ruleSetIds: string[];
  /** per applicant: index into ruleSetIds */
  ruleSet: Uint8Array;
  /** per applicant: index into ROUTES */
  route: Uint8Array;
  eligible: Uint8Array;
  /** per applicant: bit k set = prerequisite k of its rule set failed */
  failedPrerequisites: Uint32Array;
  /** points, or number of criteria met */
  total: Int16Array;
  passed: Uint8Array;
  /**
   * union of factor/criterion ids over the rule sets used, each rule set's order kept (a new id goes
   * after its predecessor: age, education, work, talent_list, language, family, then criteria ids)
   */
  factorIds: string[];
  /** one column per factorIds entry; -1 where the applicant's rule set has no such factor */
  factorPoints: Int16Array[];
}
