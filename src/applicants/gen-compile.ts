import { interpolate, normalCdf, normalQuantile } from "./gen-math.js";
import type { AnyDist, CategoricalDist, CountDist, Curve, NumericDist, ProbabilityDist } from "./gen-schema.js";
import { categoriesOf } from "./gen-check.js";
import { VARIABLES, type VariableDef, variableDef } from "./gen-variables.js";
import type { DistributionSpec } from "./spec.js";

/**
 * A spec turned into samplers: each maps one uniform number (and, for curves, the applicant's age or
 * experience) to a value. Conditionals become tables indexed by the parent's category code.
 */
export interface Conditioned<T> {
  /** index into VARIABLES of the parent, or -1 */
  parent: number;
  /** one sampler per parent category (or a single one) */
  table: T[];
  /** probabilities only: the constant p of each table entry, NaN where p is a curve (saves a call) */
  constant?: Float64Array;
}

export type NumericSampler = (u: number) => number;
/** cumulative shares over the variable's categories (last entry 1) */
export type CategoricalSampler = Float64Array;
export type ProbabilitySampler = (age: number, experience: number) => number;
export interface CountSampler {
  mean: ProbabilitySampler;
  max: number;
  withoutSpouseFactor: number;
}

export interface CompiledSpec {
  categories: Record<string, string[]>;
  categorical: Record<string, Conditioned<CategoricalSampler>>;
  numeric: Record<string, Conditioned<NumericSampler>>;
  probability: Record<string, Conditioned<ProbabilitySampler>>;
  count: Record<string, Conditioned<CountSampler>>;
}

function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const cum = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    cum[i] = acc / total;
  }
  // the last positive entry is exactly 1, so no uniform falls off the end
  for (let i = weights.length - 1; i >= 0; i--) {
    cum[i] = 1;
    if (weights[i]! > 0) break;
  }
  return cum;
}

/** Index picked by a uniform from cumulative shares: the first k with u < cum[k]. */
export function pickIndex(cum: Float64Array, u: number): number {
  const last = cum.length - 1;
  if (last < 16) {
    let k = 0;
    while (k < last && u >= cum[k]!) k++;
    return k;
  }
  // long tables (a day per entry for application dates): binary search
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u >= cum[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function curveSampler(curve: Curve): ProbabilitySampler {
  const points = curve.points;
  return curve.by === "age" ? (age) => interpolate(points, age) : (_age, exp) => interpolate(points, exp);
}

function valueSampler(v: number | Curve): ProbabilitySampler {
  return typeof v === "number" ? () => v : curveSampler(v);
}

export function numericSampler(dist: NumericDist, def: VariableDef): NumericSampler {
  const integer = def.integer === true;
  const vmin = def.min ?? Number.NEGATIVE_INFINITY;
  const vmax = def.max ?? Number.POSITIVE_INFINITY;
  const finish = integer
    ? (x: number) => Math.min(Math.floor(vmax), Math.max(Math.ceil(vmin), Math.round(x)))
    : (x: number) => Math.min(vmax, Math.max(vmin, x));
  // whole-number variables draw over [lo - 0.5, hi + 0.5] so rounding gives every integer its share
  const half = integer ? 0.5 : 0;
  switch (dist.dist) {
    case "constant": {
      const value = finish(dist.value);
      return () => value;
    }
    case "uniform": {
      const a = dist.min - half;
      const w = dist.max + half - a;
      return (u) => finish(a + u * w);
    }
    case "triangular": {
      const { min, mode, max } = dist;
      const c = max > min ? (mode - min) / (max - min) : 0;
      return (u) => finish(u < c ? min + Math.sqrt(u * (max - min) * (mode - min)) : max - Math.sqrt((1 - u) * (max - min) * (max - mode)));
    }
    case "normal": {
      const a = Math.max(dist.min ?? Number.NEGATIVE_INFINITY, vmin) - half;
      const b = Math.min(dist.max ?? Number.POSITIVE_INFINITY, vmax) + half;
      const { mean, sd } = dist;
      const lo = normalCdf((a - mean) / sd);
      const width = normalCdf((b - mean) / sd) - lo;
      return (u) => finish(Math.min(b, Math.max(a, mean + sd * normalQuantile(lo + u * width))));
    }
    case "lognormal": {
      const mu = Math.log(dist.median);
      const a = Math.max(dist.min ?? 0, vmin, 0) - half;
      const b = Math.min(dist.max ?? Number.POSITIVE_INFINITY, vmax) + half;
      const sigma = dist.sigma;
      const lo = a > 0 ? normalCdf((Math.log(a) - mu) / sigma) : 0;
      const width = normalCdf((Math.log(b) - mu) / sigma) - lo;
      return (u) => finish(Math.min(b, Math.max(a, Math.exp(mu + sigma * normalQuantile(lo + u * width)))));
    }
    case "discrete": {
      const entries = Object.entries(dist.weights)
        .map(([k, w]) => [Number(k), w] as const)
        .sort((x, y) => x[0] - y[0]);
      const values = entries.map((e) => e[0]);
      const cum = cumulative(entries.map((e) => e[1]));
      return (u) => finish(values[pickIndex(cum, u)]!);
    }
    case "histogram": {
      const bins = dist.bins;
      const cum = cumulative(bins.map((b) => b.weight));
      return (u) => {
        const k = pickIndex(cum, u);
        const bin = bins[k]!;
        const start = k === 0 ? 0 : cum[k - 1]!;
        const within = Math.min(1, Math.max(0, (u - start) / (cum[k]! - start || 1)));
        if (!integer) return finish(bin.from + within * (bin.to - bin.from));
        return finish(Math.min(bin.to, bin.from + Math.floor(within * (bin.to - bin.from + 1))));
      };
    }
  }
}

function samplerFor(def: VariableDef, categories: string[] | undefined, dist: AnyDist): unknown {
  switch (def.kind) {
    case "categorical": {
      const w = (dist as CategoricalDist).weights;
      return cumulative(categories!.map((c) => w[c] ?? 0));
    }
    case "numeric":
      return numericSampler(dist as NumericDist, def);
    case "probability":
      return valueSampler((dist as ProbabilityDist).p);
    case "count": {
      const d = dist as CountDist;
      return { mean: valueSampler(d.mean), max: d.max, withoutSpouseFactor: d.without_spouse_factor ?? 1 } satisfies CountSampler;
    }
  }
}

export function compileSpec(spec: DistributionSpec): CompiledSpec {
  const categories: Record<string, string[]> = {};
  for (const def of VARIABLES) {
    if (def.kind === "categorical") categories[def.name] = categoriesOf(def.name, spec.marginals, spec.conditionals);
  }
  const out: CompiledSpec = { categories, categorical: {}, numeric: {}, probability: {}, count: {} };
  for (const def of VARIABLES) {
    const base = spec.marginals[def.name] ?? (def.fallback as AnyDist | undefined);
    const cond = spec.conditionals[def.name];
    const cats = categories[def.name];
    const dists = cond ? categories[cond.given]!.map((value) => cond.cases[value] ?? base!) : [base!];
    const entry: Conditioned<unknown> = {
      parent: cond ? VARIABLES.indexOf(variableDef(cond.given)!) : -1,
      table: dists.map((d) => samplerFor(def, cats, d)),
    };
    if (def.kind === "probability") {
      entry.constant = Float64Array.from(dists, (d) => {
        const p = (d as ProbabilityDist).p;
        return typeof p === "number" ? p : Number.NaN;
      });
    }
    (out[def.kind] as Record<string, Conditioned<unknown>>)[def.name] = entry;
  }
  return out;
}

/** Cumulative shares of each day in [from, to] under a monthly profile (weights per calendar month). */
export function dayProfile(from: number, to: number, monthly: readonly number[]): Float64Array {
  const weights: number[] = [];
  for (let day = from; day <= to; day++) {
    const d = new Date(day * 86_400_000);
    const month = d.getUTCMonth();
    const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), month + 1, 0)).getUTCDate();
    weights.push(monthly[month]! / daysInMonth);
  }
  return cumulative(weights.some((w) => w > 0) ? weights : weights.map(() => 1));
}
