import { gammaln, mean, sampleStandardDeviation } from "simple-statistics";

/**
 * Summary statistics of replications: mean, sample standard deviation and a t-based confidence
 * interval, mean ± t(1 − α/2, n − 1) · sd / √n. Replications are few (often 10–100), so the normal
 * quantile 1.96 would understate the width; the t quantile is computed, not looked up, so any n works.
 */
export interface Summary {
  /** number of replications that produced a value (a cutoff is missing when nobody was allotted) */
  n: number;
  mean: number | null;
  sd: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export const CONFIDENCE = 0.95;

/** Continued fraction of the regularised incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Cumulative distribution of Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

const quantileCache = new Map<string, number>();

/** Quantile of Student's t (p in (0.5, 1)), by bisection on the CDF to machine precision. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0.5 && p < 1)) throw new RangeError(`tQuantile: p must be in (0.5, 1), got ${p}`);
  if (!(df >= 1)) throw new RangeError(`tQuantile: df must be >= 1, got ${df}`);
  const key = `${p}/${df}`;
  const cached = quantileCache.get(key);
  if (cached !== undefined) return cached;
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  quantileCache.set(key, q);
  return q;
}

/** Mean, sd and 95 % CI of the values that are present (null/NaN values are skipped and not counted). */
export function summarizeValues(values: readonly (number | null)[], confidence = CONFIDENCE): Summary {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null, ciLow: null, ciHigh: null };
  const m = mean(xs);
  if (n === 1) return { n, mean: m, sd: null, ciLow: null, ciHigh: null };
  // identical values (e.g. a difference under common random numbers that is always 0): report them
  // exactly rather than through floating-point noise
  if (xs.every((x) => x === xs[0])) return { n, mean: xs[0]!, sd: 0, ciLow: xs[0]!, ciHigh: xs[0]! };
  const sd = sampleStandardDeviation(xs);
  const half = (tQuantile(1 - (1 - confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean: m, sd, ciLow: m - half, ciHigh: m + half };
}

/**
 * Paired differences reform − baseline, replication by replication (common random numbers make the
 * pairs positively correlated, so this CI is much narrower than one from two independent samples).
 * A pair counts only when both values are present.
 */
export function summarizeDifferences(
  baseline: readonly (number | null)[],
  reform: readonly (number | null)[],
  confidence = CONFIDENCE,
): Summary {
  if (baseline.length !== reform.length) throw new RangeError("paired samples must have the same length");
  const diffs: number[] = [];
  for (let i = 0; i < baseline.length; i++) {
    const b = baseline[i];
    const r = reform[i];
    if (b === null || r === null || b === undefined || r === undefined) continue;
    if (!Number.isFinite(b) || !Number.isFinite(r)) continue;
    diffs.push(r - b);
  }
  return summarizeValues(diffs, confidence);
}

/**
 * A statistic rounded to 6 decimals for files: stable across platforms' last-bit differences and
 * readable in a spreadsheet. null stays null (an empty cell).
 */
export function roundStat(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const rounded = Math.round(value * 1e6) / 1e6;
  return rounded === 0 ? 0 : rounded;
}

/**
 * Fixed text for a statistic in a CSV: at most 6 decimals, no exponent, "" when missing. Rounding
 * here keeps files stable across platforms' last-bit differences and readable in a spreadsheet.
 */
export function formatStat(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "";
  const rounded = Math.round(value * 1e6) / 1e6;
  if (Object.is(rounded, -0) || rounded === 0) return "0";
  if (Math.abs(rounded) >= 1e21) return String(rounded);
  return rounded.toFixed(6).replace(/\.?0+$/, "");
}
