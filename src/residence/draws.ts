import { deriveSeed } from "../random.js";

/**
 * Each principal's own stream of uniforms: sfc32 (as in src/random.ts) started from the residence
 * seed mixed with the principal's key. A principal's k-th draw depends only on (run seed, key, k),
 * never on the other principals or on call order, and the stream is separate from every stream the
 * selection draws from, so running the pipeline changes none of the selection's draws.
 */
export const RESIDENCE_RNG_ALGORITHM =
  "sfc32 per principal: state = run seed's 'residence' hash mixed with the key (murmur3 fmix32), 12 outputs discarded";

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export class PrincipalDraws {
  private readonly s0: number;
  private readonly s1: number;
  private readonly s2: number;
  private readonly s3: number;
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(runSeed: string | number) {
    const hex = deriveSeed(runSeed, "residence");
    this.s0 = Number.parseInt(hex.slice(0, 8), 16) | 0;
    this.s1 = Number.parseInt(hex.slice(8, 16), 16) | 0;
    this.s2 = Number.parseInt(hex.slice(16, 24), 16) | 0;
    this.s3 = Number.parseInt(hex.slice(24, 32), 16) | 0;
  }

  /** Start the stream of principal `key` (a non-negative integer). */
  start(key: number): void {
    this.a = fmix32(this.s0 ^ key);
    this.b = fmix32((this.s1 + Math.imul(key, 0x9e3779b9)) | 0);
    this.c = fmix32(this.s2 ^ Math.imul(key, 0x85ebca77));
    this.d = this.s3;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** The next uniform in [0, 1) of the current principal. */
  next(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const t = (((a + b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) * 2.3283064365386963e-10;
  }
}
