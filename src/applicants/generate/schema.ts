import { z } from "zod";

/**
 * Structural schemas of a distribution spec (data/distributions/<id>.yaml). Semantic checks (sums,
 * bounds, parents, sources) live in check.ts; the variables themselves in variables.ts.
 */
const source = z.string().min(1);
const num = z.number();
const nonNegative = z.number().min(0);

export const curveSchema = z.strictObject({
  by: z.enum(["age", "years_experience"]),
  points: z.array(z.tuple([num, num])).min(1),
});
export type Curve = z.output<typeof curveSchema>;

export const categoricalSchema = z.strictObject({
  weights: z.record(z.string(), nonNegative),
  source,
});
export type CategoricalDist = z.output<typeof categoricalSchema>;

export const probabilitySchema = z.strictObject({
  p: z.union([num, curveSchema]),
  source,
});
export type ProbabilityDist = z.output<typeof probabilitySchema>;

export const countSchema = z.strictObject({
  /** Poisson mean, a number or a curve over age / years_experience */
  mean: z.union([num, curveSchema]),
  max: z.number().int().min(0),
  /** multiplies the mean when no spouse accompanies (children only) */
  without_spouse_factor: nonNegative.optional(),
  source,
});
export type CountDist = z.output<typeof countSchema>;

const bounds = { min: num.optional(), max: num.optional() };
export const NUMERIC_SCHEMAS = {
  constant: z.strictObject({ dist: z.literal("constant"), value: num, source }),
  normal: z.strictObject({ dist: z.literal("normal"), mean: num, sd: num, ...bounds, source }),
  lognormal: z.strictObject({ dist: z.literal("lognormal"), median: num, sigma: num, ...bounds, source }),
  uniform: z.strictObject({ dist: z.literal("uniform"), min: num, max: num, source }),
  triangular: z.strictObject({ dist: z.literal("triangular"), min: num, mode: num, max: num, source }),
  /** weights over listed values; keys are the values (YAML keys are text, so they are parsed as numbers) */
  discrete: z.strictObject({
    dist: z.literal("discrete"),
    weights: z.record(z.string(), nonNegative),
    source,
  }),
  /** weights over intervals [from, to]; for whole-number variables `to` is inclusive */
  histogram: z.strictObject({
    dist: z.literal("histogram"),
    bins: z.array(z.strictObject({ from: num, to: num, weight: nonNegative })).min(1),
    source,
  }),
} as const;
export type NumericDistName = keyof typeof NUMERIC_SCHEMAS;
export const NUMERIC_DIST_NAMES = Object.keys(NUMERIC_SCHEMAS) as NumericDistName[];
export type NumericDist = { [K in NumericDistName]: z.output<(typeof NUMERIC_SCHEMAS)[K]> }[NumericDistName];

export type AnyDist = CategoricalDist | ProbabilityDist | CountDist | NumericDist;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD");

export const calibrationSchema = z.strictObject({
  /** rule set the selection ranks by */
  rule_set: z.string().min(1),
  /** share of applicants (by score, best first) allotted in the period */
  selected_share: z.number().gt(0).max(1),
  method: z.string().min(1),
  /** the targets describe all allottees, or the GPT allottees only (APT excluded) */
  targets_cover: z.enum(["all", "gpt"]).default("all"),
  /** the interquartile range of applicant scores (prerequisites met) lies within [from, to] */
  typical_score: z
    .strictObject({ rule_set: z.string().min(1), from: num, to: num, note: z.string().optional(), source })
    .optional(),
  targets: z.array(
    z.strictObject({
      column: z.string().min(1),
      /** category of a text column */
      value: z.string().optional(),
      /** inclusive range of a numeric column */
      from: num.optional(),
      to: num.optional(),
      share: z.number().min(0).max(1),
      source,
    }),
  ),
});
export type Calibration = z.output<typeof calibrationSchema>;

export const conditionalSchema = z.strictObject({
  given: z.string().min(1),
  cases: z.record(z.string(), z.unknown()),
});

export const specSchema = z.strictObject({
  spec_version: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "expected a lower-case id such as qmas-2021"),
  title: z.string().min(1),
  description: z.string().optional(),
  period: z.strictObject({ from: isoDate, to: isoDate }),
  ids: z
    .strictObject({
      prefix: z.string().regex(/^[A-Za-z0-9_]*$/, "expected letters, digits or _"),
      width: z.number().int().min(1).max(15),
    })
    .default({ prefix: "G", width: 7 }),
  /** named sources: `source: stats2021` in a distribution refers to one of these */
  sources: z.record(z.string(), z.string().regex(/^https?:\/\//, "expected a URL")).default({}),
  calibration: calibrationSchema.optional(),
  applied_on: z
    .strictObject({
      monthly: z.array(nonNegative).length(12, "expected 12 monthly weights (Jan..Dec)"),
      source,
    })
    .optional(),
  experience: z
    .strictObject({
      /** age at which graduate-level work usually starts, by highest degree */
      start_age: z.strictObject({ none: num, bachelor: num, master: num, doctorate: num }),
      /** each degree beyond the first of the ladder delays the start by this many years */
      extra_degree_years: nonNegative,
      source,
    })
    .default({
      start_age: { none: 20, bachelor: 22, master: 24, doctorate: 28 },
      extra_degree_years: 1,
      source: "assumption",
    }),
  income: z
    .strictObject({
      /** compound growth of income per year of experience */
      growth_per_year: z.number().min(-0.5).max(1),
      /** experience beyond this many years adds no growth */
      growth_years_cap: nonNegative.max(100),
      /** incomes are rounded to a multiple of this (HK$) */
      round_to: z.number().gt(0),
      source,
    })
    .default({ growth_per_year: 0.05, growth_years_cap: 25, round_to: 1000, source: "assumption" }),
  marginals: z.record(z.string(), z.unknown()),
  conditionals: z.record(z.string(), conditionalSchema).default({}),
});
export type RawSpec = z.output<typeof specSchema>;

interface ZodDefLike {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: unknown[];
  items?: unknown[];
}

function defOf(schema: unknown): ZodDefLike | undefined {
  return (schema as { _zod?: { def?: ZodDefLike } })?._zod?.def;
}

/** Keys an object at `path` inside `schema` accepts (for "did you mean" suggestions). */
export function keysAtPath(schema: unknown, path: readonly PropertyKey[]): string[] {
  let nodes: unknown[] = [schema];
  const unwrap = (list: unknown[]): unknown[] => {
    const out: unknown[] = [];
    const stack = [...list];
    while (stack.length > 0) {
      const s = stack.pop();
      const d = defOf(s);
      if (!d) continue;
      if (d.type === "optional" || d.type === "default" || d.type === "nullable" || d.type === "prefault")
        stack.push(d.innerType);
      else if (d.type === "union") stack.push(...(d.options ?? []));
      else out.push(s);
    }
    return out;
  };
  for (const key of path) {
    const next: unknown[] = [];
    for (const s of unwrap(nodes)) {
      const d = defOf(s)!;
      if (d.type === "object" && typeof key === "string" && d.shape && key in d.shape)
        next.push(d.shape[key]);
      else if (d.type === "array" && typeof key === "number") next.push(d.element);
      else if (d.type === "record") next.push(d.valueType);
      else if (d.type === "tuple" && typeof key === "number") next.push(d.items?.[key]);
    }
    nodes = next;
  }
  const keys = new Set<string>();
  for (const s of unwrap(nodes)) {
    const d = defOf(s)!;
    if (d.type === "object" && d.shape) for (const k of Object.keys(d.shape)) keys.add(k);
  }
  return [...keys];
}
