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
