import { createHash } from "node:crypto";
import seedrandom from "seedrandom";

/**
 * The one source of randomness: seedrandom's `alea` (about 3x faster than ARC4 here), always created
 * from an explicit seed. Nothing in qmas-sim calls Math.random.
 */
export const RNG_ALGORITHM = "seedrandom/alea";

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
}

export function createRng(seed: string): Rng {
  const prng = seedrandom.alea(seed);
  return { next: () => prng() };
}

/**
 * Derive an independent seed from a master seed and a path of keys (replication index, applicant
 * index, purpose...). Hashing keeps adjacent integers from giving correlated streams.
 */
export function deriveSeed(master: string | number, ...keys: (string | number)[]): string {
  const h = createHash("sha256");
  h.update(String(master));
  for (const k of keys) h.update(`\u0000${k}`);
  return h.digest("hex").slice(0, 32);
}

/** Uniform integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/** Standard normal by Box-Muller (one value per call; simple and deterministic). */
export function randNormal(rng: Rng): number {
  let u = rng.next();
  while (u <= Number.MIN_VALUE) u = rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Poisson draw: Knuth for small means, a rounded normal approximation for large ones. */
export function randPoisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 50) {
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= rng.next();
    } while (p > l);
    return k - 1;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * randNormal(rng)));
}

/**
 * Bulk uniforms for the applicant generator: sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG,
 * 128-bit state, passes PractRand) seeded from a 128-bit hex seed such as deriveSeed()'s. Uniforms have
 * 32-bit resolution, like alea's. Why not alea: the generator draws 40 uniforms per applicant, and
 * through seedrandom's closures alea took ~0.55 s per million applicants (about a fifth of all
 * generation time); this loop fills the same 40 million uniforms in ~0.17 s on the same shared 2-core VM.
 */
export const BULK_RNG_ALGORITHM =
  "sfc32 seeded with the 128 bits of the seed hex, first 12 outputs discarded";

/** Fill `out` with uniforms in [0, 1) from the sfc32 stream of `seedHex` (32 hex digits, e.g. deriveSeed()). */
export function fillUniforms(seedHex: string, out: Float64Array): void {
  new UniformStream(seedHex).fill(out, 0, out.length);
}

/**
 * The sfc32 stream of fillUniforms, resumable: fill(out, from, to) writes the stream's next values at
 * out[from … to) and remembers where it stopped, so a caller holding a block's first values can draw
 * more of the same block later without drawing the first ones again.
 */
const NO_VALUES = new Float64Array(0);

export class UniformStream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** values drawn so far */
  drawn = 0;

  constructor(readonly seedHex: string) {
    if (!/^[0-9a-f]{32}$/.test(seedHex))
      throw new Error(`fillUniforms: seed must be 32 lowercase hex digits (got ${seedHex})`);
    let a = Number.parseInt(seedHex.slice(0, 8), 16) | 0;
    let b = Number.parseInt(seedHex.slice(8, 16), 16) | 0;
    let c = Number.parseInt(seedHex.slice(16, 24), 16) | 0;
    let d = Number.parseInt(seedHex.slice(24, 32), 16) | 0;
    for (let i = 0; i < 12; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // V8 compiles fill's loop while its first long call runs (on-stack replacement), before the stores
    // after the loop have ever run: that code then stopped at those stores on every later call ("no
    // type feedback", once a replication). An empty fill runs them once first.
    this.fill(NO_VALUES, 0, 0);
  }

  /** Write the next `to − from` values at out[from … to). */
  fill(out: Float64Array, from: number, to: number): void {
    // `| 0` tells the optimizer the state is int32: a field that once held a non-Smi number is loaded
    // as a double, and the loop then ran 3.7 times slower (6.6 against 1.8 ns a value)
    let a = this.a | 0;
    let b = this.b | 0;
    let c = this.c | 0;
    let d = this.d | 0;
    for (let i = from; i < to; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      out[i] = (t >>> 0) * 2.3283064365386963e-10;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.drawn += Math.max(0, to - from);
  }
}
