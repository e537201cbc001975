import { z } from "zod";
import { parseIsoDay } from "../dates.js";
import { LIMITS } from "../limits.js";
import { QUOTA_SPLITS, type QuotaConfig, TIE_BREAKS, UNUSED_QUOTA_MODES } from "../selection/types.js";

export type { QuotaConfig, TieBreak, UnusedQuotaMode } from "../selection/types.js";

/**
 * The scenario file: what a run simulates. Every selection mechanism of the model is a key here, with
 * its documented default (docs/scenarios.md, the scenario reference).
 * Objects are strict so a misspelt key is an error, never a silently ignored setting.
 */

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(parseIsoDay(s)), { message: "expected a date YYYY-MM-DD" });

const probability = z.number().min(0).max(1);

/** A yearly quota value: a number of places, or "unlimited" (no quota, e.g. the 2023–24 suspension). */
const perYear = z.union([z.number().int().min(0), z.literal("unlimited")]);

export const periodSchema = z
  .object({
    /** first day of the run; the run starts with the quarter containing it */
    from: isoDate,
    /** number of quarters (give this or `to`) */
    quarters: z.number().int().min(1).max(LIMITS.quarters).optional(),
    /** last day of the run, inclusive (give this or `quarters`) */
    to: isoDate.optional(),
  })
  .strict()
  .refine((p) => (p.quarters === undefined) !== (p.to === undefined), {
    message: "give exactly one of 'quarters' or 'to'",
  });

export const poolSchema = z
  .object({
    /** applicant CSV (docs/applicant-csv.md), relative to the scenario file */
    csv: z.string().min(1).optional(),
    /** distribution spec id (data/distributions/<id>.yaml) or path */
    spec: z.string().min(1).optional(),
    /** mean number of applications per quarter (spec pools) */
    arrivals_per_quarter: z.number().min(0).max(LIMITS.arrivalsPerQuarter).optional(),
    /** draw each quarter's count from a Poisson distribution (default true); false = the mean, rounded */
    poisson: z.boolean().default(true),
    /** multipliers of the mean for calendar quarters Q1..Q4 */
    seasonal: z.array(z.number().min(0).max(LIMITS.seasonalMultiplier)).length(4).default([1, 1, 1, 1]),
    /** seed of the generated pool; default: derived from the run seed */
    seed: z.union([z.string(), z.number()]).optional(),
  })
  .strict()
  .refine((p) => (p.csv === undefined) !== (p.spec === undefined), {
    message: "give exactly one of 'csv' or 'spec'",
  })
  .refine((p) => p.spec === undefined || p.arrivals_per_quarter !== undefined, {
    message: "a spec pool needs 'arrivals_per_quarter'",
    path: ["arrivals_per_quarter"],
  });

export const quotaSchema = z
  .object({
    /** places per calendar year, split evenly over the year's exercises; "unlimited" = no quota */
    per_year: perYear.optional(),
    /** dated changes of the yearly quota, in force from their date (the exercise date decides) */
    changes: z.array(z.object({ from: isoDate, per_year: perYear }).strict()).default([]),
    /** places of each exercise of the run, in order (instead of per_year) */
    per_exercise: z.array(z.number().int().min(0)).min(1).optional(),
    /**
     * how a yearly quota reaches the exercises: "even" = split evenly over the year's exercises (the
     * remainder to the earliest); "annual" = each exercise may allot what the year has not yet allotted
     */
    split: z.enum(QUOTA_SPLITS).default("even"),
  })
  .strict()
  .refine((q) => (q.per_year === undefined) !== (q.per_exercise === undefined), {
    message: "give exactly one of 'per_year' or 'per_exercise' (or write quota: unlimited)",
  })
  .refine((q) => q.per_exercise === undefined || q.changes.length === 0, {
    message: "'changes' applies to 'per_year' only",
    path: ["changes"],
  });

export const approvalBandSchema = z
  .object({
    /** inclusive lower end of the score (points, or criteria met) */
    from: z.number(),
    /** exclusive upper end; omitted = no upper end */
    to: z.number().optional(),
    probability,
  })
  .strict();

/**
 * The committee's approval standard, a logistic model: the log-odds of approving a shortlisted GPT or
 * criteria candidate are `intercept + per_relative_score × r + sectors[sector]`, where r is the score
 * relative to the table in force (0 at its pass mark, 1 at its maximum), so one standard means the same
 * across points tables. Each application carries a latent quality (a uniform draw of its own, kept for
 * every exercise it takes part in): it is approved when that draw is below the probability.
 */
export const committeeStandardSchema = z
  .object({
    /** log-odds of approval at the pass mark */
    intercept: z.number().min(-20).max(20),
    /** log-odds added between the pass mark (r = 0) and the table's maximum (r = 1) */
    per_relative_score: z.number().min(-50).max(50).default(0),
    /** log-odds added for candidates of a sector (priority to sectors Hong Kong lacks) */
    sectors: z.record(z.string(), z.number().min(-20).max(20)).default({}),
  })
  .strict();

export const committeeSchema = z
  .object({
    /** the approval standard (a logistic model on the relative score; instead of `approval` bands) */
    standard: committeeStandardSchema.optional(),
    /** at most this share of each exercise's quota per sector (floor of share × quota) */
    sector_shares: z.record(z.string(), probability).default({}),
    /** at most this many allotments per sector per exercise */
    sector_caps: z.record(z.string(), z.number().int().min(0)).default({}),
    /** probability the committee approves a ranked GPT/criteria candidate, by score band; uncovered scores: 1 */
    approval: z.array(approvalBandSchema).default([]),
    /** probability the committee approves an APT pass */
    apt_approval: probability.default(1),
  })
  .strict();

/**
 * One dated change: from `from` on, each key of `set` (a dotted scenario key, e.g.
 * `pool.arrivals_per_quarter`) has the value given. A quarter is governed by the values in force on its
 * last day (the day of its selection exercise).
 */
export const datedEntrySchema = z
  .object({
    from: isoDate,
    set: z.record(z.string(), z.unknown()),
    /** why, in prose */
    note: z.string().optional(),
    source: z.string().optional(),
  })
  .strict();

/** The scenario keys that may change by date. */
export const DATED_KEYS = [
  "pool.arrivals_per_quarter",
  "pool.spec",
  "pool.seasonal",
  "assessment_capacity",
  "assessment_lag_quarters",
  "withdrawal_per_quarter",
  "committee",
  "pass_mark",
  "exercises_per_year",
  "quota.per_year",
] as const;
export type DatedKey = (typeof DATED_KEYS)[number];

// ---- after allotment (src/residence): arrival, stays, extensions, permanent residence ----

/** Shifts added to the residence rates (capped to [0, 1]) for events dated within [from, to). */
export const residenceAdjustSchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    take_up: z.number().min(-1).max(1).default(0),
    extension_apply: z.number().min(-1).max(1).default(0),
    extension_approve: z.number().min(-1).max(1).default(0),
    permanent_residence: z.number().min(-1).max(1).default(0),
  })
  .strict();

export const residenceConfigSchema = z
  .object({
    /** false = stop at allotment (no residence.csv, cohorts.csv or residence columns) */
    enabled: z.boolean().default(true),
    /** residence data id (data/residence/<id>.yaml) or path */
    data: z.string().min(1).default("qmas"),
    /** years simulated after the last selection exercise of the run */
    horizon_years: z.number().int().min(0).max(60).default(8),
    /** stay patterns replacing the data's for approvals from each `from` date */
    stay_patterns: z
      .array(z.object({ from: isoDate, stays_years: z.array(z.number().positive().max(10)).min(1) }).strict())
      .default([]),
    adjust: z.array(residenceAdjustSchema).default([]),
  })
  .strict();

export type ResidenceConfig = z.output<typeof residenceConfigSchema>;
// ---- end of the residence block ----

export const scenarioSchema = z
  .object({
    /** name of the run; reports go to reports/<name>/ (default: the file name without extension) */
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, "use letters, digits, '.', '_' or '-'")
      .optional(),
    /** the question the scenario answers, in prose */
    description: z.string().default(""),
    /** master seed of every random stream of the run */
    seed: z.union([z.string(), z.number()]).default(1),
    /** the quarters simulated; omitted/null = the spec's period, or the CSV's first to last application */
    period: periodSchema.nullable().optional(),
    pool: poolSchema,
    /** "auto" = the rule set in force on each application date; or a rule-set id forced on everyone */
    rules: z.string().min(1).default("auto"),
    /** overrides the points pass mark of every points rule set (null = as in the rule set) */
    pass_mark: z.number().int().min(0).nullable().default(null),
    /** applications assessed per quarter, oldest first; null = unlimited */
    assessment_capacity: z.number().int().min(0).nullable().default(null),
    /**
     * quarters an application waits in the queue before it can be assessed (document checks, requests
     * for more information): 0 = assessed in the quarter it arrives, if capacity allows
     */
    assessment_lag_quarters: z.number().int().min(0).max(40).default(0),
    /** selection exercises per calendar year: 4 (one per quarter), 2 (Q2, Q4) or 1 (Q4) */
    exercises_per_year: z.union([z.literal(1), z.literal(2), z.literal(4)]).default(4),
    quota: quotaSchema,
    unused_quota: z.enum(UNUSED_QUOTA_MODES).default("lapse"),
    tie_break: z.array(z.enum(TIE_BREAKS)).min(1).default(["applied_on", "lottery"]),
    /** APT passes are ranked before every GPT candidate */
    apt_first: z.boolean().default(true),
    /** exercises a passed application stays in the pool: 1 = refused after its first exercise (QMAS) */
    pool_rounds: z.number().int().min(1).max(255).default(1),
    /** probability that a waiting application (backlog or pool) is withdrawn in each quarter it waits */
    withdrawal_per_quarter: probability.default(0),
    /** committee model; null = off (allotment strictly by rank) */
    committee: committeeSchema.nullable().default(null),
    /** after allotment: arrival, stays, extensions, permanent residence (on by default) */
    residence: residenceConfigSchema.prefault({}),
    /**
     * dated values: from each entry's date, the keys in its `set` take the given values (see
     * DATED_KEYS); entries in date order, inside the period (src/scenario/dated.ts)
     */
    timeline: z.array(datedEntrySchema).default([]),
  })
  .strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioParsed = z.output<typeof scenarioSchema>;
// the validated quota is what the selection engine takes: checked here, where both are known
({}) as z.output<typeof quotaSchema> satisfies QuotaConfig;
export type CommitteeConfig = z.output<typeof committeeSchema>;
export type PoolConfig = z.output<typeof poolSchema>;
export type CommitteeStandard = z.output<typeof committeeStandardSchema>;
export type DatedEntry = z.output<typeof datedEntrySchema>;

/** A validated scenario with every default filled in: the "scenario as resolved" of the manifest. */
export interface Scenario extends Omit<ScenarioParsed, "name" | "period"> {
  name: string;
  period: { from: string; quarters: number } | null;
}
