/**
 * The selection engine's own vocabulary. The scenario schema (src/scenario) validates these from
 * YAML; the engine defines them so that it depends on nothing above it.
 */

/** How candidates with the same score are ordered, in the order the keys are applied. */
export const TIE_BREAKS = ["applied_on", "id", "lottery"] as const;
export type TieBreak = (typeof TIE_BREAKS)[number];

/** What happens to places an exercise leaves unused. */
export const UNUSED_QUOTA_MODES = ["lapse", "carry_within_year", "carry_forward"] as const;
export type UnusedQuotaMode = (typeof UNUSED_QUOTA_MODES)[number];

/**
 * How a yearly quota reaches the exercises: "even" = split evenly over the year's exercises (the
 * remainder to the earliest); "annual" = each exercise may allot what the year has not yet allotted.
 */
export const QUOTA_SPLITS = ["even", "annual"] as const;
export type QuotaSplit = (typeof QUOTA_SPLITS)[number];

/** A yearly quota value: a number of places, or "unlimited" (no quota). */
export type PerYearQuota = number | "unlimited";

/** The quota of a run: yearly (with dated changes) or given per exercise. */
export interface QuotaConfig {
  /** places per calendar year, split evenly over the year's exercises */
  per_year?: PerYearQuota | undefined;
  /** dated changes of the yearly quota, in force from their date (the exercise date decides) */
  changes: { from: string; per_year: PerYearQuota }[];
  /** places of each exercise of the run, in order (instead of per_year) */
  per_exercise?: number[] | undefined;
  /** how the yearly quota reaches the exercises */
  split: QuotaSplit;
}
