import { ACHIEVEMENTS, SEXES } from "../record.js";

/**
 * The variables a distribution spec draws, in the order the generator draws them. A conditional may
 * only depend on a categorical variable drawn earlier, so this order is part of the spec format.
 *
 * Each variable owns a fixed slot in the applicant's block of uniform draws (see generate.ts): changing
 * one variable's distribution (a scenario override) never shifts the random numbers of another, so
 * comparisons between specs use common random numbers.
 */
export type VariableKind = "categorical" | "numeric" | "probability" | "count";

export interface VariableDef {
  name: string;
  kind: VariableKind;
  /** index of the uniform draw this variable consumes; unique, never reused */
  slot: number;
  doc: string;
  /** fixed category keys (otherwise free snake_case keys) */
  keys?: readonly string[];
  /** numeric values are rounded to whole numbers */
  integer?: boolean;
  /** the range every value must lie in (bounds of any distribution are checked against it) */
  min?: number;
  max?: number;
  /** a spec must define it (others fall back to `fallback`) */
  required?: boolean;
  /** what an omitted variable draws, as a spec fragment */
  fallback?: Record<string, unknown>;
}

export const DEGREE_LEVELS = ["none", "bachelor", "master", "doctorate"] as const;
export type DegreeLevel = (typeof DEGREE_LEVELS)[number];

const never = { p: 0, source: "assumption: not drawn unless the spec says so" };
const always = { p: 1, source: "assumption: not drawn unless the spec says so" };
const zero = { dist: "constant", value: 0, source: "assumption: not drawn unless the spec says so" };

export const VARIABLES: readonly VariableDef[] = [
  { name: "sex", kind: "categorical", slot: 0, keys: SEXES, required: true, doc: "sex column (F, M, X)" },
  { name: "region", kind: "categorical", slot: 1, required: true, doc: "region column (free keys)" },
  {
    name: "age",
    kind: "numeric",
    slot: 2,
    integer: true,
    min: 14,
    max: 120,
    required: true,
    doc: "age in years",
  },
  { name: "sector", kind: "categorical", slot: 3, required: true, doc: "sector column (free keys)" },
  {
    name: "highest_degree",
    kind: "categorical",
    slot: 4,
    keys: DEGREE_LEVELS,
    required: true,
    doc: "highest degree held; the degree counts are built from it",
  },
  {
    name: "profession",
    kind: "categorical",
    slot: 5,
    fallback: { weights: { none: 1 }, source: "assumption: no profession unless the spec says so" },
    doc: "profession column; key `none` = empty (Talent List keys of docs/rules.md or any snake_case key)",
  },
  {
    name: "bachelor_before_postgrad",
    kind: "probability",
    slot: 6,
    fallback: always,
    doc: "a master's or doctorate holder also holds a bachelor's",
  },
  {
    name: "master_before_doctorate",
    kind: "probability",
    slot: 7,
    fallback: always,
    doc: "a doctorate holder also holds a master's",
  },
  {
    name: "extra_bachelor",
    kind: "probability",
    slot: 8,
    fallback: never,
    doc: "a bachelor's holder holds a second bachelor's",
  },
  {
    name: "extra_master",
    kind: "probability",
    slot: 9,
    fallback: never,
    doc: "a master's holder holds a second master's",
  },
  {
    name: "extra_doctorate",
    kind: "probability",
    slot: 10,
    fallback: never,
    doc: "a doctorate holder holds a second doctorate",
  },
  {
    name: "professional_qualification",
    kind: "probability",
    slot: 11,
    fallback: never,
    doc: "holds a recognised professional qualification",
  },
  {
    name: "renowned_institution",
    kind: "probability",
    slot: 12,
    fallback: never,
    doc: "a degree from a top-100 institution (degree holders only)",
  },
  {
    name: "eligible_university_postgrad",
    kind: "probability",
    slot: 13,
    fallback: never,
    doc: "the master's or doctorate is from an eligible university (postgraduates only)",
  },
  {
    name: "stem_postgrad",
    kind: "probability",
    slot: 14,
    fallback: never,
    doc: "that eligible postgraduate degree is in STEM",
  },
  {
    name: "experience_noise",
    kind: "numeric",
    slot: 15,
    min: -120,
    max: 120,
    fallback: zero,
    doc: "years added to (age - start age of the highest degree) to give years_experience",
  },
  {
    name: "senior_onset",
    kind: "numeric",
    slot: 16,
    min: 0,
    max: 100,
    fallback: zero,
    doc: "years of experience before a first senior role",
  },
  {
    name: "senior_share",
    kind: "numeric",
    slot: 17,
    min: 0,
    max: 1,
    fallback: zero,
    doc: "share of the experience after onset spent in senior roles",
  },
  {
    name: "has_international",
    kind: "probability",
    slot: 18,
    fallback: never,
    doc: "has any international experience",
  },
  {
    name: "international_share",
    kind: "numeric",
    slot: 19,
    min: 0,
    max: 1,
    fallback: zero,
    doc: "share of the experience that is international",
  },
  {
    name: "has_multinational",
    kind: "probability",
    slot: 20,
    fallback: never,
    doc: "has worked in a multinational or renowned enterprise",
  },
  {
    name: "multinational_share",
    kind: "numeric",
    slot: 21,
    min: 0,
    max: 1,
    fallback: zero,
    doc: "share of the experience in multinationals",
  },
  {
    name: "has_specified_industry",
    kind: "probability",
    slot: 22,
    fallback: never,
    doc: "has worked in the specified industries",
  },
  {
    name: "specified_industry_share",
    kind: "numeric",
    slot: 23,
    min: 0,
    max: 1,
    fallback: zero,
    doc: "share of the experience in specified industries",
  },
  { name: "chinese", kind: "probability", slot: 24, required: true, doc: "good written and spoken Chinese" },
  { name: "english", kind: "probability", slot: 25, required: true, doc: "good written and spoken English" },
  {
    name: "other_languages",
    kind: "numeric",
    slot: 26,
    integer: true,
    min: 0,
    max: 255,
    fallback: zero,
    doc: "number of other languages",
  },
  {
    name: "income_base",
    kind: "numeric",
    slot: 27,
    min: 0,
    max: 1e10,
    fallback: zero,
    doc: "annual income at zero experience, HK$; grows with experience",
  },
  { name: "has_business", kind: "probability", slot: 28, fallback: never, doc: "owns a profitable business" },
  {
    name: "business_profit",
    kind: "numeric",
    slot: 29,
    min: 0,
    max: 1e12,
    fallback: zero,
    doc: "annual profit of that business, HK$",
  },
  {
    name: "has_listed_stake",
    kind: "probability",
    slot: 30,
    fallback: never,
    doc: "holds a stake in a listed company",
  },
  {
    name: "listed_stake_share",
    kind: "numeric",
    slot: 31,
    min: 0,
    max: 1,
    fallback: zero,
    doc: "that stake (0.1 = 10 %)",
  },
  {
    name: "hk_permanent_family",
    kind: "probability",
    slot: 32,
    fallback: never,
    doc: "immediate family member is a HK permanent resident in HK",
  },
  {
    name: "spouse_accompanying",
    kind: "probability",
    slot: 33,
    fallback: never,
    doc: "a married spouse comes along",
  },
  {
    name: "spouse_degree",
    kind: "probability",
    slot: 34,
    fallback: never,
    doc: "that spouse holds a degree (accompanying spouses only)",
  },
  {
    name: "children",
    kind: "count",
    slot: 35,
    min: 0,
    max: 255,
    fallback: { mean: 0, max: 0, source: "assumption: not drawn unless the spec says so" },
    doc: "accompanying children under 18 (Poisson, capped)",
  },
  {
    name: "achievement",
    kind: "categorical",
    slot: 36,
    keys: ACHIEVEMENTS,
    fallback: { weights: { none: 1 }, source: "assumption: not drawn unless the spec says so" },
    doc: "achievement column (APT applicants)",
  },
  {
    name: "financial_means",
    kind: "probability",
    slot: 37,
    fallback: always,
    doc: "meets the financial prerequisite",
  },
  {
    name: "good_character",
    kind: "probability",
    slot: 38,
    fallback: always,
    doc: "meets the good-character prerequisite",
  },
];

/** Slot of the application date draw (not a spec variable: it comes from `applied_on`). */
export const APPLIED_ON_SLOT = 39;
/** Uniform draws consumed per applicant. Changing it (or any slot) changes every generated pool: bump GENERATOR_STREAM then. */
export const SLOTS_PER_APPLICANT = 40;

export const VARIABLE_NAMES: readonly string[] = VARIABLES.map((v) => v.name);

const BY_NAME = new Map(VARIABLES.map((v, i) => [v.name, { def: v, order: i }]));

export function variableDef(name: string): VariableDef | undefined {
  return BY_NAME.get(name)?.def;
}

/** Position in the drawing order (parents must come first). */
export function variableOrder(name: string): number {
  return BY_NAME.get(name)?.order ?? -1;
}
