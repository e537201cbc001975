import { z } from "zod";
import { parseIsoDay } from "../dates.js";

/**
 * The residence data file (data/residence/<id>.yaml): stay patterns and rates after allotment, each
 * dated and carrying its evidence. Objects are strict so a misspelt key is an error.
 */

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(parseIsoDay(s)), { message: "expected a date YYYY-MM-DD" });

const probability = z.number().min(0).max(1);

/**
 * How sure a value is: the marks of the domain notes (C2 = two or more independent sources, S1 = one,
 * X = conflicting, derived = computed from other figures) or "assumption" (nothing published).
 */
export const CONFIDENCE_MARKS = ["C2", "S1", "X", "derived", "assumption"] as const;

/** Evidence attached to a dated value: every value says where it comes from, or that it is an assumption. */
const evidence = {
  confidence: z.enum(CONFIDENCE_MARKS),
  /** public URL(s) the value rests on; required unless the value is an assumption */
  source: z.union([z.string().url(), z.array(z.string().url()).min(1)]).optional(),
  /** the scheme a value is borrowed from when QMAS has no figure (e.g. "TTPS") */
  borrowed_from: z.string().min(1).optional(),
  note: z.string().optional(),
};

function needsSource(v: { confidence: string; source?: unknown }): boolean {
  return v.confidence === "assumption" || v.source !== undefined;
}
const sourceMessage = {
  message: "give a source URL (or mark the value confidence: assumption)",
  path: ["source"],
};

const range = z
  .object({ from: z.number().min(0).optional(), to: z.number().min(0).optional() })
  .strict()
  .refine((r) => r.from === undefined || r.to === undefined || r.from < r.to, {
    message: "'from' must be below 'to'",
  });

/** Which principals a profile rule applies to; every condition given must hold ([from, to) ranges). */
export const profileConditionSchema = z
  .object({
    route: z.enum(["gpt", "apt", "criteria"]).optional(),
    /** annual income in HK$ at application */
    income_hkd: range.optional(),
    /** age at application */
    age: range.optional(),
  })
  .strict();

export const profileRuleSchema = z.object({ when: profileConditionSchema, value: probability }).strict();

/**
 * A probability: a plain constant (`value`), or a constant with profile rules, the first rule whose
 * `when` matches giving the value (the constant for everyone else).
 */
export const rateSchema = z
  .object({
    value: probability,
    by_profile: z.array(profileRuleSchema).default([]),
    ...evidence,
  })
  .strict()
  .refine(needsSource, sourceMessage);

export const lagPointSchema = z
  .object({
    /** months after approval */
    within: z.number().positive(),
    /** share of eventual arrivals who have arrived by then (cumulative) */
    share: probability,
  })
  .strict();

export const arrivalSchema = z
  .object({
    /** share of approved principals who ever arrive */
    take_up: rateSchema,
    /**
     * when those who do arrive have arrived: a cumulative table (months → share), linear between
     * points, from 0 at approval; the last share must be 1
     */
    lag_months: z
      .object({ points: z.array(lagPointSchema).min(1), ...evidence })
      .strict()
      .refine(needsSource, sourceMessage)
      .refine((l) => l.points.every((p, i) => i === 0 || p.within > l.points[i - 1]!.within), {
        message: "'within' must increase from point to point",
        path: ["points"],
      })
      .refine((l) => l.points.every((p, i) => i === 0 || p.share >= l.points[i - 1]!.share), {
        message: "'share' must not decrease from point to point",
        path: ["points"],
      })
      .refine((l) => l.points[l.points.length - 1]!.share === 1, {
        message: "the last point's share must be 1 (everyone who arrives has arrived by then)",
        path: ["points"],
      }),
    /** months after approval at which a principal who has not come counts as never arriving */
    give_up_months: z.number().int().positive(),
  })
  .strict()
  .refine((a) => a.lag_months.points[a.lag_months.points.length - 1]!.within <= a.give_up_months, {
    message: "the lag table must end by give_up_months",
    path: ["give_up_months"],
  });

export const extensionSchema = z
  .object({
    /** probability that a principal in Hong Kong applies to extend when a stay expires */
    apply: rateSchema,
    /** probability that an application to extend is approved */
    approve: rateSchema,
  })
  .strict();

/** The rates in force from a date (until the next entry's `from`). */
export const rateEraSchema = z
  .object({
    from: isoDate,
    arrival: arrivalSchema,
    /** one entry per extension (first, second, …); the last entry holds for every later one */
    extensions: z.array(extensionSchema).min(1),
    /**
     * probability that a principal still in Hong Kong when 7 years are reached shows ordinary
     * residence and becomes a permanent resident (the others leave then)
     */
    permanent_residence: rateSchema,
  })
  .strict();

/** A stay pattern in force for approvals from a date (until the next entry's `from`). */
export const stayPatternSchema = z
  .object({
    from: isoDate,
    /** length of the initial stay and of each extension; the last repeats */
    stays_years: z.array(z.number().positive().max(10)).min(1),
    /** true when the pattern after the first stay is not settled by the evidence */
    uncertain: z.boolean().default(false),
    ...evidence,
  })
  .strict()
  .refine(needsSource, sourceMessage);

function ascending(list: readonly { from: string }[]): boolean {
  return list.every((e, i) => i === 0 || e.from > list[i - 1]!.from);
}

export const residenceDataSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9._-]+$/, "use lowercase letters, digits, '.', '_' or '-'"),
    title: z.string().min(1),
    /** years of continuous ordinary residence that make a permanent resident */
    permanent_residence_years: z.number().positive(),
    permanent_residence_source: z.union([z.string().url(), z.array(z.string().url()).min(1)]),
    stay_patterns: z
      .array(stayPatternSchema)
      .min(1)
      .refine(ascending, { message: "entries must be in increasing 'from' order" }),
    rates: z
      .array(rateEraSchema)
      .min(1)
      .refine(ascending, { message: "entries must be in increasing 'from' order" }),
  })
  .strict();

export type ResidenceData = z.output<typeof residenceDataSchema>;
export type Rate = z.output<typeof rateSchema>;
export type RateEra = z.output<typeof rateEraSchema>;
export type StayPattern = z.output<typeof stayPatternSchema>;
export type ProfileCondition = z.output<typeof profileConditionSchema>;
