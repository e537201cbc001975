import { z } from "zod";
import {
  ACHIEVEMENTS,
  BOOLEAN_FIELDS,
  CATEGORICAL_FIELDS,
  type CategoricalField,
  NUMERIC_FIELDS,
  type NumericField,
  SEXES,
} from "../applicants/record.js";
import { parseIsoDay } from "../dates.js";
import { didYouMean } from "../did-you-mean.js";
import type { Component, Condition, CriteriaRuleSet, PointsRuleSet, RuleSet, TalentList } from "./types.js";

/**
 * Zod schemas for rule-set and Talent List files. Every object is strict: an unknown key is an error
 * naming the key and the closest valid one. Conditions are checked by hand (a zod union would only say
 * "invalid input"), so a message says which field or operator is wrong and why.
 */

/** Separates a message from the suggested key inside a zod issue message (split again in load.ts). */
export const SUGGESTION_MARK = "\u0000";

function withSuggestion(message: string, word: string, candidates: readonly string[]): string {
  const s = didYouMean(word, candidates);
  return s === undefined ? message : `${message}${SUGGESTION_MARK}${s}`;
}

function strict<S extends z.ZodRawShape>(shape: S) {
  const keys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== "unrecognized_keys") return undefined;
      const key = iss.keys[0] ?? "";
      const more = iss.keys.length > 1 ? ` (and ${iss.keys.slice(1).join(", ")})` : "";
      return withSuggestion(`unknown key '${key}'${more}`, key, keys);
    },
  });
}

const NUMERIC_SET = new Set<string>(NUMERIC_FIELDS);
const BOOLEAN_SET = new Set<string>(BOOLEAN_FIELDS);
const CATEGORICAL_SET = new Set<string>(CATEGORICAL_FIELDS);
const ALL_FIELDS: readonly string[] = [...NUMERIC_FIELDS, ...BOOLEAN_FIELDS, ...CATEGORICAL_FIELDS];

function numericField() {
  return z.custom<NumericField>((v) => typeof v === "string" && NUMERIC_SET.has(v), {
    error: (iss) => {
      const v = String(iss.input);
      return withSuggestion(`'${v}' is not a numeric applicant field`, v, NUMERIC_FIELDS);
    },
  });
}

const isoDate = z.string().refine((s) => !Number.isNaN(parseIsoDay(s)), { error: "not a date YYYY-MM-DD" });
const points = z.number().int().min(0);
const label = z.string().min(1);

// ---------------------------------------------------------------- conditions

const NUMERIC_OPS = ["gte", "gt", "lte", "lt", "eq"] as const;
const BOOLEAN_OPS = ["is"] as const;
const TEXT_OPS = ["in", "not_in"] as const;
const LEAF_OPS: readonly string[] = [...NUMERIC_OPS, ...BOOLEAN_OPS, ...TEXT_OPS];
const COMBINATOR_KEYS = ["all", "any", "not", "at_least", "of"] as const;
const CONDITION_KEYS: readonly string[] = ["field", ...LEAF_OPS, ...COMBINATOR_KEYS];

type Path = (string | number)[];
type Report = (message: string, path: Path) => void;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fieldKind(field: string): "numeric" | "boolean" | "text" {
  if (NUMERIC_SET.has(field)) return "numeric";
  if (BOOLEAN_SET.has(field)) return "boolean";
  return "text";
}

const OPS_FOR: Record<"numeric" | "boolean" | "text", readonly string[]> = {
  numeric: NUMERIC_OPS,
  boolean: BOOLEAN_OPS,
  text: TEXT_OPS,
};

function allowedValues(field: CategoricalField): readonly string[] | undefined {
  if (field === "sex") return SEXES;
  if (field === "achievement") return ACHIEVEMENTS;
  return undefined;
}

function checkLeaf(v: Record<string, unknown>, path: Path, report: Report): void {
  const field = v.field;
  if (
    typeof field !== "string" ||
    !(NUMERIC_SET.has(field) || BOOLEAN_SET.has(field) || CATEGORICAL_SET.has(field))
  ) {
    const text = String(field);
    report(withSuggestion(`'${text}' is not an applicant field`, text, ALL_FIELDS), [...path, "field"]);
    return;
  }
  const kind = fieldKind(field);
  const ops = Object.keys(v).filter((k) => k !== "field");
  for (const op of ops) {
    if (!LEAF_OPS.includes(op))
      report(withSuggestion(`unknown key '${op}'`, op, ["field", ...OPS_FOR[kind]]), [...path, op]);
  }
  const known = ops.filter((op) => LEAF_OPS.includes(op));
  if (known.length !== 1) {
    report(
      known.length === 0
        ? `a comparison on '${field}' needs one operator: ${OPS_FOR[kind].join(", ")}`
        : `a comparison has exactly one operator, found ${known.join(" and ")} (use all: [...] to combine)`,
      path,
    );
    return;
  }
  const op = known[0]!;
  if (!OPS_FOR[kind].includes(op)) {
    report(`operator '${op}' does not apply to ${kind} field '${field}' (use ${OPS_FOR[kind].join(" / ")})`, [
      ...path,
      op,
    ]);
    return;
  }
  const value = v[op];
  if (kind === "numeric" && (typeof value !== "number" || !Number.isFinite(value))) {
    report(`'${op}' needs a number`, [...path, op]);
  } else if (kind === "boolean" && typeof value !== "boolean") {
    report(`'is' needs true or false`, [...path, op]);
  } else if (kind === "text") {
    if (!Array.isArray(value) || value.length === 0 || !value.every((x) => typeof x === "string")) {
      report(`'${op}' needs a non-empty list of text keys`, [...path, op]);
      return;
    }
    const allowed = allowedValues(field as CategoricalField);
    if (allowed) {
      value.forEach((x, k) => {
        if (!allowed.includes(x as string)) {
          report(
            withSuggestion(
              `'${x}' is not a value of '${field}' (${allowed.join(", ")})`,
              x as string,
              allowed,
            ),
            [...path, op, k],
          );
        }
      });
    }
  }
}

function checkList(v: unknown, path: Path, report: Report): void {
  if (!Array.isArray(v) || v.length === 0) {
    report("needs a non-empty list of conditions", path);
    return;
  }
  v.forEach((c, k) => {
    checkCondition(c, [...path, k], report);
  });
}

/** Check that `v` is a well-formed Condition; every problem is reported with its path. */
export function checkCondition(v: unknown, path: Path, report: Report): void {
  if (!isRecord(v)) {
    report("a condition must be a mapping such as { field: age, gte: 18 } or { all: [...] }", path);
    return;
  }
  if ("field" in v) {
    checkLeaf(v, path, report);
    return;
  }
  const keys = Object.keys(v);
  for (const k of keys) {
    if (!(COMBINATOR_KEYS as readonly string[]).includes(k)) {
      report(withSuggestion(`unknown key '${k}'`, k, CONDITION_KEYS), [...path, k]);
      return;
    }
  }
  const shape = keys.slice().sort().join("+");
  if (shape === "all" || shape === "any") checkList(v[shape], [...path, shape], report);
  else if (shape === "not") checkCondition(v.not, [...path, "not"], report);
  else if (shape === "at_least+of") {
    checkList(v.of, [...path, "of"], report);
    const n = v.at_least;
    const count = Array.isArray(v.of) ? v.of.length : 0;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > count) {
      report(`'at_least' needs a whole number from 1 to the ${count} conditions listed`, [
        ...path,
        "at_least",
      ]);
    }
  } else if (keys.length === 0) report("empty condition", path);
  else
    report(
      `a condition is one of { field, <operator> }, { all }, { any }, { not }, { at_least, of }; found keys ${keys.join(", ")}`,
      path,
    );
}

export const ConditionSchema = z.unknown().superRefine((v, ctx) => {
  checkCondition(v, [], (message, path) => ctx.addIssue({ code: "custom", message, path }));
}) as unknown as z.ZodType<Condition>;

// ---------------------------------------------------------------- rule sets

const SourceSchema = strict({
  about: z.string().min(1),
  url: z.string().min(1),
  confidence: z.string().optional(),
});

const BandSchema = strict({ from: z.number(), to: z.number().optional(), points, label });

const COMPONENT_KINDS = ["bands", "ladder", "bonus", "per_unit", "membership"] as const;

const ComponentSchema = strict({
  bands: strict({ field: numericField(), bands: z.array(BandSchema).min(1) }).optional(),
  ladder: z
    .array(strict({ when: ConditionSchema, points, label }))
    .min(1)
    .optional(),
  bonus: strict({ when: ConditionSchema, points, label }).optional(),
  per_unit: strict({
    field: numericField(),
    points,
    max_units: z.number().int().min(1).optional(),
    label,
  }).optional(),
  membership: strict({ field: z.literal("profession"), list: z.string().min(1), points, label }).optional(),
})
  .superRefine((c, ctx) => {
    const present = COMPONENT_KINDS.filter((k) => c[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message:
          present.length === 0
            ? `a component is one of ${COMPONENT_KINDS.join(", ")}`
            : `a component has exactly one kind, found ${present.join(" and ")}`,
      });
    }
  })
  // keep only the kind that is present, so `"ladder" in c` tests are exact
  .transform((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Component);

const FactorSchema = strict({
  id: z.string().min(1),
  label,
  max: points,
  components: z.array(ComponentSchema).min(1),
});
const PrerequisiteSchema = strict({ id: z.string().min(1), label, when: ConditionSchema });
const CriterionSchema = strict({
  id: z.string().min(1),
  label,
  when: ConditionSchema,
  official: z.boolean(),
  note: z.string().optional(),
});

const baseShape = {
  id: z.string().min(1),
  title: z.string().min(1),
  effective_from: isoDate,
  effective_to: isoDate.nullable(),
  notes: z.array(z.string()).optional(),
  sources: z.array(SourceSchema),
  prerequisites: z.array(PrerequisiteSchema).max(32),
  apt: strict({ when: ConditionSchema, label }),
  max_total: points,
};

export const PointsRuleSetSchema = strict({
  ...baseShape,
  kind: z.literal("points"),
  pass: strict({ min_total: points }),
  factors: z.array(FactorSchema).min(1),
}) as unknown as z.ZodType<PointsRuleSet>;

export const CriteriaRuleSetSchema = strict({
  ...baseShape,
  kind: z.literal("criteria"),
  pass: strict({ min_criteria: points }),
  criteria: z.array(CriterionSchema).min(1),
}) as unknown as z.ZodType<CriteriaRuleSet>;

/** Dispatches on `kind` first so that key errors are reported against the right shape. */
export const RuleSetSchema: z.ZodType<RuleSet> = z.unknown().transform((v, ctx) => {
  const kind = isRecord(v) ? v.kind : undefined;
  const schema =
    kind === "points" ? PointsRuleSetSchema : kind === "criteria" ? CriteriaRuleSetSchema : undefined;
  if (!schema) {
    ctx.addIssue({ code: "custom", message: "kind must be 'points' or 'criteria'", path: ["kind"] });
    return z.NEVER;
  }
  const r = schema.safeParse(v);
  if (!r.success) {
    for (const iss of r.error.issues) {
      // re-raised as custom issues: an unknown key becomes part of the path here
      const path =
        iss.code === "unrecognized_keys" && iss.keys[0] !== undefined ? [...iss.path, iss.keys[0]] : iss.path;
      ctx.addIssue({ code: "custom", message: iss.message, path: path as Path });
    }
    return z.NEVER;
  }
  return r.data;
}) as unknown as z.ZodType<RuleSet>;

export const TalentListSchema = strict({
  id: z.string().min(1),
  list: z.string().min(1),
  effective_from: isoDate,
  effective_to: isoDate.nullable(),
  professions: z.array(strict({ key: z.string().min(1), label })),
  sources: z.array(SourceSchema),
  notes: z.array(z.string()).optional(),
}) as unknown as z.ZodType<TalentList>;
