/**
 * Inverse-CDF helpers. Every draw of the generator turns exactly one uniform number into a value, so
 * an applicant always consumes the same number of uniforms whatever the spec says (see generate.ts).
 */

/** Standard normal CDF (erfc of Numerical Recipes, relative error < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

// Acklam's coefficients, written inline below: array loads of module constants cost V8 a bounds check
// and a load each (the function ran 40 ns a call); the arithmetic and its order are unchanged, so the
// values are the same to the bit.
//   a = -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239
//   b = -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1
//   c = -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783
//   d = 7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416
const P_LOW = 0.02425;

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const q0 = Math.min(1 - 1e-16, Math.max(1e-300, p));
  if (q0 < P_LOW) return acklamTail(Math.sqrt(-2 * Math.log(q0)));
  if (q0 > 1 - P_LOW) return -acklamTail(Math.sqrt(-2 * Math.log(1 - q0)));
  const q = q0 - 0.5;
  const r = q * q;
  return (
    ((((((-3.969683028665376e1 * r + 2.209460984245205e2) * r + -2.759285104469687e2) * r +
      1.38357751867269e2) *
      r +
      -3.066479806614716e1) *
      r +
      2.506628277459239) *
      q) /
    (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r + -1.556989798598866e2) * r +
      6.680131188771972e1) *
      r +
      -1.328068155288572e1) *
      r +
      1)
  );
}

function acklamTail(q: number): number {
  return (
    (((((-7.784894002430293e-3 * q + -3.223964580411365e-1) * q + -2.400758277161838) * q +
      -2.549732539343734) *
      q +
      4.374664141464968) *
      q +
      2.938163982698783) /
    ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) *
      q +
      1)
  );
}

/** Poisson draw by inversion from one uniform, capped at `max`. */
export function poissonFromUniform(u: number, mean: number, max: number): number {
  if (mean <= 0 || max <= 0) return 0;
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  while (u >= cdf && k < max) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** Piecewise-linear interpolation over sorted points, constant beyond both ends. */
export function interpolate(points: readonly (readonly [number, number])[], x: number): number {
  const first = points[0]!;
  if (x <= first[0]) return first[1];
  for (let i = 1; i < points.length; i++) {
    const b = points[i]!;
    if (x <= b[0]) {
      const a = points[i - 1]!;
      return a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0]);
    }
  }
  return points[points.length - 1]![1];
}

/** Round to one decimal: years are written as e.g. 4.9. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
