import { parseIsoDay } from "../dates.js";
import type { QuotaConfig, UnusedQuotaMode } from "./types.js";

/** One exercise of a run: when it happens and its own quota before any carry-over. */
export interface ExerciseSlot {
  /** quarter index (year * 4 + 0..3) */
  quarter: number;
  /** last day of the quarter (day number): the date that decides which yearly quota is in force */
  day: number;
  /** 0-based number of the exercise within its calendar year */
  indexInYear: number;
  /** places of this exercise; Infinity = no quota */
  quota: number;
}

/** Quarters holding an exercise: evenly spaced, the last one in Q4 (4/yr: every quarter; 2: Q2, Q4; 1: Q4). */
export function isExerciseQuarter(quarter: number, exercisesPerYear: number): boolean {
  const step = 4 / exercisesPerYear;
  return ((quarter % 4) + 1) % step === 0;
}

/** The yearly quota in force on a day: the last dated change on or before it, else the base value. */
export function perYearOn(cfg: QuotaConfig, day: number): number {
  let v = cfg.per_year;
  for (const c of cfg.changes) if (parseIsoDay(c.from) <= day) v = c.per_year;
  return v === "unlimited" || v === undefined ? Number.POSITIVE_INFINITY : v;
}

/** A yearly quota split evenly over the year's exercises; the remainder goes to the earliest ones. */
export function splitYearly(perYear: number, exercisesPerYear: number, indexInYear: number): number {
  if (!Number.isFinite(perYear)) return perYear;
  const base = Math.floor(perYear / exercisesPerYear);
  return base + (indexInYear < perYear % exercisesPerYear ? 1 : 0);
}

/**
 * The own quota of each exercise of a run. `per_exercise` must list at least as many values as the run
 * has exercises (the caller reports a shortfall as a scenario error).
 */
export function exerciseQuota(
  cfg: QuotaConfig,
  exercisesPerYear: number,
  slot: Omit<ExerciseSlot, "quota">,
  exerciseNumber: number,
): number {
  if (cfg.per_exercise) {
    const v = cfg.per_exercise[exerciseNumber];
    if (v === undefined) return Number.NaN;
    return v;
  }
  return splitYearly(perYearOn(cfg, slot.day), exercisesPerYear, slot.indexInYear);
}

/**
 * Places carried from an exercise to the next one: nothing when unused quota lapses, within the
 * calendar year only, or always.
 */
export function carryOver(
  mode: UnusedQuotaMode,
  unused: number,
  thisQuarter: number,
  nextQuarter: number | undefined,
): number {
  if (!Number.isFinite(unused) || unused <= 0 || nextQuarter === undefined) return 0;
  if (mode === "lapse") return 0;
  if (mode === "carry_within_year")
    return Math.floor(nextQuarter / 4) === Math.floor(thisQuarter / 4) ? unused : 0;
  return unused;
}
