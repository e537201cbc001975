import type { z } from "zod";
import { parseIsoDay } from "../../dates.js";
import { didYouMean } from "../../did-you-mean.js";
import { SpecError } from "../../errors.js";
import { APPLICANT_COLUMNS } from "../record.js";
import { normalCdf } from "./math.js";
import {
  type AnyDist,
  type CategoricalDist,
  type CountDist,
  type Curve,
  categoricalSchema,
  countSchema,
  keysAtPath,
  NUMERIC_DIST_NAMES,
  NUMERIC_SCHEMAS,
  type NumericDist,
  type ProbabilityDist,
  probabilitySchema,
  type RawSpec,
} from "./schema.js";
import { VARIABLE_NAMES, VARIABLES, type VariableDef, variableDef, variableOrder } from "./variables.js";

export type PathPart = string | number;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** Collects SpecErrors for one file. */
export class SpecProblems {
  readonly errors: SpecError[] = [];
  constructor(readonly file: string) {}
  add(path: readonly PropertyKey[], reason: string, suggestion?: string): void {
    this.errors.push(new SpecError(this.file, formatPath(path), reason, suggestion));
  }
  /** Translate zod issues, suggesting the closest accepted key for unknown ones. */
  addZodIssues(schema: unknown, base: readonly PathPart[], issues: readonly z.core.$ZodIssue[]): void {
    for (const issue of issues) {
      const at = [...base, ...(issue.path as PropertyKey[])];
      if (issue.code === "unrecognized_keys") {
        const known = keysAtPath(schema, issue.path as PropertyKey[]);
        for (const key of issue.keys)
          this.add([...at, key], `unknown key; accepted: ${known.join(", ")}`, didYouMean(key, known));
      } else if (issue.code === "invalid_union") {
        this.add(at, "expected a number or a curve { by: age | years_experience, points: [[x, y], ...] }");
      } else {
        this.add(at, issue.message);
      }
    }
  }
}

const FREE_KEY = /^[a-z][a-z0-9_]*$/;
const SOURCE_PREFIX = /^(https?:\/\/|assumption|calibrated)/;

/** A validated distribution entry for `def`, or undefined after recording the problems. */
export function parseDist(
  problems: SpecProblems,
  def: VariableDef,
  raw: unknown,
  path: PathPart[],
): AnyDist | undefined {
  const before = problems.errors.length;
  let dist: AnyDist | undefined;
  if (def.kind === "categorical") dist = parseWith(problems, categoricalSchema, raw, path);
  else if (def.kind === "probability") dist = parseWith(problems, probabilitySchema, raw, path);
  else if (def.kind === "count") dist = parseWith(problems, countSchema, raw, path);
  else {
    const name = (raw as { dist?: unknown } | null)?.dist;
    if (typeof name !== "string" || !(NUMERIC_DIST_NAMES as string[]).includes(name)) {
      problems.add(
        [...path, "dist"],
        `expected one of ${NUMERIC_DIST_NAMES.join(", ")}${name === undefined ? "" : `, got ${JSON.stringify(name)}`}`,
        typeof name === "string" ? didYouMean(name, NUMERIC_DIST_NAMES) : undefined,
      );
      return undefined;
    }
    dist = parseWith(problems, NUMERIC_SCHEMAS[name as keyof typeof NUMERIC_SCHEMAS], raw, path) as
      | NumericDist
      | undefined;
  }
  if (!dist) return undefined;
  if (def.kind === "categorical") checkCategorical(problems, def, dist as CategoricalDist, path);
  else if (def.kind === "probability") checkProbability(problems, dist as ProbabilityDist, path);
  else if (def.kind === "count") checkCount(problems, def, dist as CountDist, path);
  else checkNumeric(problems, def, dist as NumericDist, path);
  return problems.errors.length === before ? dist : undefined;
}

function parseWith<S extends z.ZodType>(
  problems: SpecProblems,
  schema: S,
  raw: unknown,
  path: PathPart[],
): z.output<S> | undefined {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  problems.addZodIssues(schema, path, r.error.issues);
  return undefined;
}

function checkWeights(problems: SpecProblems, weights: Record<string, number>, path: PathPart[]): void {
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  if (!(sum > 0) || !Number.isFinite(sum))
    problems.add(path, `weights must sum to a positive number (sum is ${sum})`);
}

function checkCategorical(
  problems: SpecProblems,
  def: VariableDef,
  dist: CategoricalDist,
  path: PathPart[],
): void {
  checkWeights(problems, dist.weights, [...path, "weights"]);
  for (const key of Object.keys(dist.weights)) {
    if (def.keys && !def.keys.includes(key)) {
      problems.add(
        [...path, "weights", key],
        `not a category of ${def.name} (categories: ${def.keys.join(", ")})`,
        didYouMean(key, def.keys),
      );
    } else if (!def.keys && !FREE_KEY.test(key)) {
      problems.add([...path, "weights", key], "category keys are lower-case snake_case (a-z, 0-9, _)");
    }
  }
}

function checkCurve(problems: SpecProblems, curve: Curve, path: PathPart[], lo: number, hi: number): void {
  curve.points.forEach(([x, y], i) => {
    if (i > 0 && !(x > curve.points[i - 1]![0]))
      problems.add([...path, "points", i], `x values must increase (${x} after ${curve.points[i - 1]![0]})`);
    if (y < lo || y > hi) problems.add([...path, "points", i], `value ${y} outside [${lo}, ${hi}]`);
  });
}

function checkProbability(problems: SpecProblems, dist: ProbabilityDist, path: PathPart[]): void {
  if (typeof dist.p === "number") {
    if (dist.p < 0 || dist.p > 1)
      problems.add([...path, "p"], `a probability must lie in [0, 1] (got ${dist.p})`);
  } else checkCurve(problems, dist.p, [...path, "p"], 0, 1);
}

function checkCount(problems: SpecProblems, def: VariableDef, dist: CountDist, path: PathPart[]): void {
  if (typeof dist.mean === "number") {
    if (dist.mean < 0) problems.add([...path, "mean"], `a mean count cannot be negative (got ${dist.mean})`);
  } else checkCurve(problems, dist.mean, [...path, "mean"], 0, Number.POSITIVE_INFINITY);
  if (def.max !== undefined && dist.max > def.max) problems.add([...path, "max"], `at most ${def.max}`);
}

/** Lowest and highest value a numeric distribution can produce, as written (undefined = unbounded). */
function writtenRange(dist: NumericDist): { lo?: number; hi?: number } {
  switch (dist.dist) {
    case "constant":
      return { lo: dist.value, hi: dist.value };
    case "normal":
    case "lognormal":
      return { lo: dist.min, hi: dist.max };
    case "uniform":
    case "triangular":
      return { lo: dist.min, hi: dist.max };
    case "discrete": {
      const values = Object.keys(dist.weights).map(Number);
      return { lo: Math.min(...values), hi: Math.max(...values) };
    }
    case "histogram":
      return { lo: Math.min(...dist.bins.map((b) => b.from)), hi: Math.max(...dist.bins.map((b) => b.to)) };
  }
}

function checkNumeric(problems: SpecProblems, def: VariableDef, dist: NumericDist, path: PathPart[]): void {
  const before = problems.errors.length;
  switch (dist.dist) {
    case "normal":
      if (!(dist.sd > 0)) problems.add([...path, "sd"], `must be positive (got ${dist.sd})`);
      break;
    case "lognormal":
      if (!(dist.median > 0)) problems.add([...path, "median"], `must be positive (got ${dist.median})`);
      if (!(dist.sigma > 0)) problems.add([...path, "sigma"], `must be positive (got ${dist.sigma})`);
      if (dist.min !== undefined && dist.min < 0)
        problems.add([...path, "min"], `a lognormal value is never negative (got ${dist.min})`);
      break;
    case "triangular":
      if (dist.mode < dist.min || dist.mode > dist.max)
        problems.add([...path, "mode"], `must lie between min ${dist.min} and max ${dist.max}`);
      break;
    case "discrete":
      checkWeights(problems, dist.weights, [...path, "weights"]);
      for (const key of Object.keys(dist.weights)) {
        const v = Number(key);
        if (key.trim() === "" || !Number.isFinite(v))
          problems.add([...path, "weights", key], "keys of a discrete distribution are numbers");
        else if (def.integer && !Number.isInteger(v))
          problems.add([...path, "weights", key], `${def.name} takes whole numbers`);
      }
      break;
    case "histogram":
      checkWeights(problems, Object.fromEntries(dist.bins.map((b, i) => [String(i), b.weight])), [
        ...path,
        "bins",
      ]);
      dist.bins.forEach((b, i) => {
        if (b.from > b.to) problems.add([...path, "bins", i], `from ${b.from} > to ${b.to}`);
        if (def.integer && (!Number.isInteger(b.from) || !Number.isInteger(b.to)))
          problems.add([...path, "bins", i], `${def.name} takes whole numbers`);
      });
      break;
    default:
      break;
  }
  if (
    "min" in dist &&
    "max" in dist &&
    dist.min !== undefined &&
    dist.max !== undefined &&
    dist.min > dist.max
  ) {
    problems.add([...path, "min"], `min ${dist.min} > max ${dist.max}`);
  }
  if (problems.errors.length > before) return;
  const { lo, hi } = writtenRange(dist);
  if (def.min !== undefined && lo !== undefined && lo < def.min)
    problems.add(path, `${def.name} cannot be below ${def.min} (distribution reaches ${lo})`);
  if (def.max !== undefined && hi !== undefined && hi > def.max)
    problems.add(path, `${def.name} cannot exceed ${def.max} (distribution reaches ${hi})`);
  if (def.min !== undefined && hi !== undefined && hi < def.min) return;
  if (dist.dist === "normal" && dist.sd > 0) {
    const a = Math.max(lo ?? Number.NEGATIVE_INFINITY, def.min ?? Number.NEGATIVE_INFINITY);
    const b = Math.min(hi ?? Number.POSITIVE_INFINITY, def.max ?? Number.POSITIVE_INFINITY);
    if (normalCdf((b - dist.mean) / dist.sd) - normalCdf((a - dist.mean) / dist.sd) < 1e-9) {
      problems.add(path, `no probability between ${a} and ${b} for mean ${dist.mean}, sd ${dist.sd}`);
    }
  }
}

/** Categories a categorical variable can take under this spec (marginal first, then conditional cases). */
export function categoriesOf(
  name: string,
  marginals: Record<string, AnyDist>,
  conditionals: RawSpec["conditionals"],
): string[] {
  const def = variableDef(name);
  if (def?.keys) return [...def.keys];
  const keys = new Set<string>();
  const marginal = (marginals[name] ?? def?.fallback) as CategoricalDist | undefined;
  for (const k of Object.keys(marginal?.weights ?? {})) keys.add(k);
  for (const c of Object.values(conditionals[name]?.cases ?? {})) {
    const w = (c as Partial<CategoricalDist> | null)?.weights;
    if (w && typeof w === "object") for (const k of Object.keys(w)) keys.add(k);
  }
  return [...keys];
}

export interface CheckedParts {
  marginals: Record<string, AnyDist>;
  conditionals: Record<string, { given: string; cases: Record<string, AnyDist> }>;
}

/** Semantic checks of a structurally valid spec; problems are recorded, valid parts returned. */
export function checkSpec(problems: SpecProblems, raw: RawSpec): CheckedParts {
  const marginals: Record<string, AnyDist> = {};
  for (const [name, entry] of Object.entries(raw.marginals)) {
    const def = variableDef(name);
    if (!def) {
      problems.add(
        ["marginals", name],
        `unknown variable; variables: ${VARIABLE_NAMES.join(", ")}`,
        didYouMean(name, VARIABLE_NAMES),
      );
      continue;
    }
    const dist = parseDist(problems, def, entry, ["marginals", name]);
    if (dist) marginals[name] = dist;
  }
  for (const def of VARIABLES) {
    if (def.required && !(def.name in raw.marginals))
      problems.add(["marginals", def.name], "required variable is missing");
  }

  const conditionals: CheckedParts["conditionals"] = {};
  for (const [name, cond] of Object.entries(raw.conditionals)) {
    const def = variableDef(name);
    if (!def) {
      problems.add(["conditionals", name], "unknown variable", didYouMean(name, VARIABLE_NAMES));
      continue;
    }
    const possibleParents = VARIABLES.filter(
      (v) => v.kind === "categorical" && variableOrder(v.name) < variableOrder(name),
    ).map((v) => v.name);
    const parent = variableDef(cond.given);
    if (!parent) {
      problems.add(
        ["conditionals", name, "given"],
        `parent '${cond.given}' is not a variable; possible parents: ${possibleParents.join(", ") || "none"}`,
        didYouMean(cond.given, possibleParents),
      );
      continue;
    }
    if (parent.kind !== "categorical") {
      problems.add(
        ["conditionals", name, "given"],
        `parent '${cond.given}' is not categorical (use a curve { by: age | years_experience } for numeric dependence)`,
      );
      continue;
    }
    if (variableOrder(cond.given) >= variableOrder(name)) {
      problems.add(
        ["conditionals", name, "given"],
        `parent '${cond.given}' is drawn after '${name}'; possible parents: ${possibleParents.join(", ") || "none"}`,
      );
      continue;
    }
    // a parent whose own distribution is missing or invalid is reported there; its cases cannot be checked
    if (!marginals[cond.given] && !parent.fallback) continue;
    const parentCategories = categoriesOf(cond.given, marginals, raw.conditionals);
    const cases: Record<string, AnyDist> = {};
    for (const [value, entry] of Object.entries(cond.cases)) {
      if (!parentCategories.includes(value)) {
        problems.add(
          ["conditionals", name, "cases", value],
          `'${value}' is not a category of ${cond.given} (categories: ${parentCategories.join(", ")})`,
          didYouMean(value, parentCategories),
        );
        continue;
      }
      const dist = parseDist(problems, def, entry, ["conditionals", name, "cases", value]);
      if (dist) cases[value] = dist;
    }
    conditionals[name] = { given: cond.given, cases };
  }

  checkDates(problems, raw);
  checkSources(problems, raw);
  checkCalibration(problems, raw);
  return { marginals, conditionals };
}

function checkDates(problems: SpecProblems, raw: RawSpec): void {
  const from = parseIsoDay(raw.period.from);
  const to = parseIsoDay(raw.period.to);
  if (Number.isNaN(from)) problems.add(["period", "from"], `not a calendar date (${raw.period.from})`);
  if (Number.isNaN(to)) problems.add(["period", "to"], `not a calendar date (${raw.period.to})`);
  if (from > to) problems.add(["period"], `from ${raw.period.from} is after to ${raw.period.to}`);
  if (raw.applied_on && !(raw.applied_on.monthly.reduce((a, b) => a + b, 0) > 0)) {
    problems.add(["applied_on", "monthly"], "monthly weights must sum to a positive number");
  }
  for (const [level, age] of Object.entries(raw.experience.start_age)) {
    if (age < 14 || age > 60)
      problems.add(["experience", "start_age", level], `a start age must lie in [14, 60] (got ${age})`);
  }
}

function checkSources(problems: SpecProblems, raw: RawSpec): void {
  const named = Object.keys(raw.sources);
  const visit = (node: unknown, path: PathPart[]): void => {
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) visit(v, [...path, i]);
    } else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (k === "source" && typeof v === "string" && !SOURCE_PREFIX.test(v) && !named.includes(v)) {
          problems.add(
            [...path, k],
            `'${v}' is neither a URL, 'assumption…', 'calibrated…' nor a key of sources`,
            didYouMean(v, named),
          );
        } else visit(v, [...path, k]);
      }
    }
  };
  const { sources: _named, ...rest } = raw;
  visit(rest, []);
}

function checkCalibration(problems: SpecProblems, raw: RawSpec): void {
  const cal = raw.calibration;
  if (!cal) return;
  const columns = APPLICANT_COLUMNS.map((c) => c.name as string);
  cal.targets.forEach((t, i) => {
    const path = ["calibration", "targets", i];
    if (!columns.includes(t.column))
      problems.add(
        [...path, "column"],
        `'${t.column}' is not an applicant column`,
        didYouMean(t.column, columns),
      );
    const ranged = t.from !== undefined || t.to !== undefined;
    if (ranged === (t.value !== undefined))
      problems.add(path, "give either value (a category) or from/to (a numeric range)");
    if (t.from !== undefined && t.to !== undefined && t.from > t.to)
      problems.add([...path, "from"], `from ${t.from} > to ${t.to}`);
  });
  const ts = cal.typical_score;
  if (ts && ts.from > ts.to)
    problems.add(["calibration", "typical_score", "from"], `from ${ts.from} > to ${ts.to}`);
}
