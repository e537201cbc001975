import { KEPT_PER_RUN, KeptPerOwner } from "../../kept.js";
import { categoriesOf } from "./check.js";
import { interpolate, normalCdf, normalQuantile } from "./math.js";
import type { AnyDist, CategoricalDist, CountDist, Curve, NumericDist, ProbabilityDist } from "./schema.js";
import type { DistributionSpec } from "./spec.js";
import { VARIABLES, type VariableDef, variableDef } from "./variables.js";

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

/** Buckets of a guide table over [0, 1). */
export const GUIDE_BUCKETS = 64;

/**
 * A guide table (Chen and Asau's method) for pickIndex: entry b is pickIndex(cum, b / GUIDE_BUCKETS).
 * Since pickIndex never decreases as u grows, the answer for u lies at or after the entry of u's
 * bucket, so pickGuided starts there and steps on: exactly pickIndex's answer, in about one step.
 */
export function guideOf(cum: Float64Array): Int32Array {
  let guide = guides.get(cum);
  if (!guide) {
    guide = new Int32Array(GUIDE_BUCKETS);
    for (let b = 0; b < GUIDE_BUCKETS; b++) guide[b] = pickIndex(cum, b / GUIDE_BUCKETS);
    guides.set(cum, guide);
  }
  return guide;
}

/**
 * Guide tables by cumulative-share table. The tables belong to a compiled spec, which lives as long as
 * its spec, while every generatePool call (a replication makes one per quarter) starts a new drawer:
 * building the guides per call was a tenth of a baseline replication. Read-only once built.
 */
const guides = new WeakMap<Float64Array, Int32Array>();

export function pickGuided(cum: Float64Array, guide: Int32Array, u: number): number {
  const last = cum.length - 1;
  let k = guide[(u * GUIDE_BUCKETS) | 0]!;
  while (k < last && u >= cum[k]!) k++;
  return k;
}

/** Whole ages and experience in tenths (k / 10, as round1 writes it) up to this many table entries. */
const CURVE_TABLE = 1024;

/**
 * A curve over age or experience. Ages are whole numbers and experience has one decimal, so the curve
 * is read from a table of interpolate() at every such x, computed once: the same doubles, without a
 * search of the points per applicant. Any other x is interpolated as before.
 */
export function curveSampler(curve: Curve): ProbabilitySampler {
  const points = curve.points;
  const scale = curve.by === "age" ? 1 : 10;
  const table = Float64Array.from({ length: CURVE_TABLE }, (_, k) => interpolate(points, k / scale));
  const at = (x: number) => {
    const k = Math.round(x * scale);
    return k >= 0 && k < CURVE_TABLE && k / scale === x ? table[k]! : interpolate(points, x);
  };
  return curve.by === "age" ? (age) => at(age) : (_age, exp) => at(exp);
}

function valueSampler(v: number | Curve): ProbabilitySampler {
  return typeof v === "number" ? () => v : curveSampler(v);
}

// numeric distribution kinds (plain constants, which V8 folds into the switch)
const CONSTANT = 0;
const UNIFORM = 1;
const TRIANGULAR = 2;
const NORMAL = 3;
const LOGNORMAL = 4;
const DISCRETE = 5;
const HISTOGRAM = 6;
type Kind =
  | typeof CONSTANT
  | typeof UNIFORM
  | typeof TRIANGULAR
  | typeof NORMAL
  | typeof LOGNORMAL
  | typeof DISCRETE
  | typeof HISTOGRAM;

/**
 * One numeric distribution as data with a single `sample` method (a switch on the kind) rather than a
 * closure per distribution: the generator calls it in one loop per variable, where V8 inlines a
 * monomorphic method (no call, no boxed double per draw) but not a megamorphic closure call.
 */
export class NumericSampler {
  constructor(
    private readonly kind: Kind,
    private readonly integer: boolean,
    private readonly vmin: number,
    private readonly vmax: number,
    // kind-specific parameters (see numericSampler)
    private readonly p0: number,
    private readonly p1: number,
    private readonly p2: number,
    private readonly p3: number,
    private readonly p4: number,
    private readonly p5: number,
    private readonly cum: Float64Array,
    private readonly values: Float64Array,
    private readonly binFrom: Float64Array,
    private readonly binTo: Float64Array,
  ) {
    this.guide = cum.length > 0 ? guideOf(cum) : NO_GUIDE;
  }

  private readonly guide: Int32Array;

  private finish(x: number): number {
    return this.integer
      ? Math.min(Math.floor(this.vmax), Math.max(Math.ceil(this.vmin), Math.round(x)))
      : Math.min(this.vmax, Math.max(this.vmin, x));
  }

  /**
   * out[j] = sample(u[j × width + slot]) for j0 ≤ j < j1, with the switch on the kind taken once
   * instead of per applicant for the kinds a pool draws most (the same arithmetic, so the same values).
   */
  sampleRange(u: Float64Array, width: number, slot: number, j0: number, j1: number, out: Float64Array): void {
    const integer = this.integer;
    const lo = integer ? Math.ceil(this.vmin) : this.vmin;
    const hi = integer ? Math.floor(this.vmax) : this.vmax;
    switch (this.kind) {
      case NORMAL: {
        const a = this.p0;
        const b = this.p1;
        const mean = this.p2;
        const sd = this.p3;
        const from = this.p4;
        const span = this.p5;
        for (let j = j0; j < j1; j++) {
          const x = Math.min(b, Math.max(a, mean + sd * normalQuantile(from + u[j * width + slot]! * span)));
          out[j] = integer ? Math.min(hi, Math.max(lo, Math.round(x))) : Math.min(hi, Math.max(lo, x));
        }
        return;
      }
      case TRIANGULAR: {
        const min = this.p0;
        const mode = this.p1;
        const max = this.p2;
        const split = this.p3;
        for (let j = j0; j < j1; j++) {
          const v = u[j * width + slot]!;
          const x =
            v < split
              ? min + Math.sqrt(v * (max - min) * (mode - min))
              : max - Math.sqrt((1 - v) * (max - min) * (max - mode));
          out[j] = integer ? Math.min(hi, Math.max(lo, Math.round(x))) : Math.min(hi, Math.max(lo, x));
        }
        return;
      }
      default:
        for (let j = j0; j < j1; j++) out[j] = this.sample(u[j * width + slot]!);
    }
  }

  sample(u: number): number {
    switch (this.kind) {
      case CONSTANT:
        return this.p0;
      case UNIFORM:
        return this.finish(this.p0 + u * this.p1);
      case TRIANGULAR: {
        const min = this.p0;
        const mode = this.p1;
        const max = this.p2;
        return this.finish(
          u < this.p3
            ? min + Math.sqrt(u * (max - min) * (mode - min))
            : max - Math.sqrt((1 - u) * (max - min) * (max - mode)),
        );
      }
      case NORMAL: {
        const a = this.p0;
        const b = this.p1;
        return this.finish(
          Math.min(b, Math.max(a, this.p2 + this.p3 * normalQuantile(this.p4 + u * this.p5))),
        );
      }
      case LOGNORMAL: {
        const a = this.p0;
        const b = this.p1;
        return this.finish(
          Math.min(b, Math.max(a, Math.exp(this.p2 + this.p3 * normalQuantile(this.p4 + u * this.p5)))),
        );
      }
      case DISCRETE:
        return this.finish(this.values[pickGuided(this.cum, this.guide, u)]!);
      case HISTOGRAM: {
        const cum = this.cum;
        const k = pickGuided(cum, this.guide, u);
        const from = this.binFrom[k]!;
        const to = this.binTo[k]!;
        const start = k === 0 ? 0 : cum[k - 1]!;
        const within = Math.min(1, Math.max(0, (u - start) / (cum[k]! - start || 1)));
        if (!this.integer) return this.finish(from + within * (to - from));
        return this.finish(Math.min(to, from + Math.floor(within * (to - from + 1))));
      }
    }
  }
}

const NONE: Float64Array = new Float64Array(0);
const NO_GUIDE: Int32Array = new Int32Array(0);

export function numericSampler(dist: NumericDist, def: VariableDef): NumericSampler {
  const integer = def.integer === true;
  const vmin = def.min ?? Number.NEGATIVE_INFINITY;
  const vmax = def.max ?? Number.POSITIVE_INFINITY;
  const make = (
    kind: Kind,
    p: number[],
    cum: Float64Array = NONE,
    values: Float64Array = NONE,
    binFrom: Float64Array = NONE,
    binTo: Float64Array = NONE,
  ) =>
    new NumericSampler(
      kind,
      integer,
      vmin,
      vmax,
      p[0] ?? 0,
      p[1] ?? 0,
      p[2] ?? 0,
      p[3] ?? 0,
      p[4] ?? 0,
      p[5] ?? 0,
      cum,
      values,
      binFrom,
      binTo,
    );
  const finish = integer
    ? (x: number) => Math.min(Math.floor(vmax), Math.max(Math.ceil(vmin), Math.round(x)))
    : (x: number) => Math.min(vmax, Math.max(vmin, x));
  // whole-number variables draw over [lo - 0.5, hi + 0.5] so rounding gives every integer its share
  const half = integer ? 0.5 : 0;
  switch (dist.dist) {
    case "constant":
      return make(CONSTANT, [finish(dist.value)]);
    case "uniform": {
      const a = dist.min - half;
      return make(UNIFORM, [a, dist.max + half - a]);
    }
    case "triangular": {
      const { min, mode, max } = dist;
      return make(TRIANGULAR, [min, mode, max, max > min ? (mode - min) / (max - min) : 0]);
    }
    case "normal": {
      const a = Math.max(dist.min ?? Number.NEGATIVE_INFINITY, vmin) - half;
      const b = Math.min(dist.max ?? Number.POSITIVE_INFINITY, vmax) + half;
      const { mean, sd } = dist;
      const lo = normalCdf((a - mean) / sd);
      return make(NORMAL, [a, b, mean, sd, lo, normalCdf((b - mean) / sd) - lo]);
    }
    case "lognormal": {
      const mu = Math.log(dist.median);
      const a = Math.max(dist.min ?? 0, vmin, 0) - half;
      const b = Math.min(dist.max ?? Number.POSITIVE_INFINITY, vmax) + half;
      const sigma = dist.sigma;
      const lo = a > 0 ? normalCdf((Math.log(a) - mu) / sigma) : 0;
      return make(LOGNORMAL, [a, b, mu, sigma, lo, normalCdf((Math.log(b) - mu) / sigma) - lo]);
    }
    case "discrete": {
      const entries = Object.entries(dist.weights)
        .map(([k, w]) => [Number(k), w] as const)
        .sort((x, y) => x[0] - y[0]);
      return make(
        DISCRETE,
        [],
        cumulative(entries.map((e) => e[1])),
        Float64Array.from(entries, (e) => e[0]),
      );
    }
    case "histogram": {
      const bins = dist.bins;
      return make(
        HISTOGRAM,
        [],
        cumulative(bins.map((b) => b.weight)),
        NONE,
        Float64Array.from(bins, (b) => b.from),
        Float64Array.from(bins, (b) => b.to),
      );
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
      return {
        mean: valueSampler(d.mean),
        max: d.max,
        withoutSpouseFactor: d.without_spouse_factor ?? 1,
      } satisfies CountSampler;
    }
  }
}

export function compileSpec(spec: DistributionSpec): CompiledSpec {
  const categories: Record<string, string[]> = {};
  for (const def of VARIABLES) {
    if (def.kind === "categorical")
      categories[def.name] = categoriesOf(def.name, spec.marginals, spec.conditionals);
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
  return dayProfiles.get(monthly, `${from}:${to}`, () => computeDayProfile(from, to, monthly));
}

/**
 * Day profiles by monthly weights (a spec's array, read-only) and range: every replication generates
 * the same quarters, so each profile is computed once rather than once per replication. Read-only.
 */
const dayProfiles = new KeptPerOwner<readonly number[], Float64Array>(KEPT_PER_RUN);

function computeDayProfile(from: number, to: number, monthly: readonly number[]): Float64Array {
  const weights: number[] = [];
  for (let day = from; day <= to; day++) {
    const d = new Date(day * 86_400_000);
    const month = d.getUTCMonth();
    const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), month + 1, 0)).getUTCDate();
    weights.push(monthly[month]! / daysInMonth);
  }
  return cumulative(weights.some((w) => w > 0) ? weights : weights.map(() => 1));
}
