import { describe, expect, test } from "vitest";
import { deriveSeed, fillUniforms } from "../../src/random.js";

/** sfc32 as in PractRand (`tmp = a + b + counter++; a = b ^ (b >> 9); b = c + (c << 3); c = rol(c, 21) + tmp`), written independently of random.ts. */
function referenceSfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

describe("fillUniforms (sfc32 bulk stream of the generator)", () => {
  test("equals the reference sfc32 seeded with the seed's four 32-bit words, after 12 discarded outputs", () => {
    const seed = deriveSeed("x", "qmas-gen/2", 0);
    const ref = referenceSfc32(
      ...([0, 8, 16, 24].map((i) => Number.parseInt(seed.slice(i, i + 8), 16)) as [
        number,
        number,
        number,
        number,
      ]),
    );
    for (let i = 0; i < 12; i++) ref();
    const out = new Float64Array(1000);
    fillUniforms(seed, out);
    expect(Array.from(out)).toEqual(Array.from({ length: 1000 }, ref));
  });

  test("pins the first values of a fixed seed (a change of stream must be deliberate)", () => {
    const out = new Float64Array(3);
    fillUniforms("00000000000000010000000200000003", out);
    const ref = referenceSfc32(0, 1, 2, 3);
    for (let i = 0; i < 12; i++) ref();
    expect(Array.from(out)).toEqual([ref(), ref(), ref()]);
    expect(out[0]).toBe(0.24108795449137688);
  });

  test("uniforms lie in [0, 1) with mean and spread of U(0, 1)", () => {
    const out = new Float64Array(200_000);
    fillUniforms(deriveSeed(7, "moments"), out);
    let sum = 0;
    let sq = 0;
    let min = 1;
    let max = 0;
    for (const x of out) {
      sum += x;
      sq += x * x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const mean = sum / out.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(sq / out.length - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  test("a prefix of a longer fill is the shorter fill; a malformed seed is refused", () => {
    const long = new Float64Array(100);
    const short = new Float64Array(10);
    fillUniforms(deriveSeed(1), long);
    fillUniforms(deriveSeed(1), short);
    expect(Array.from(long.subarray(0, 10))).toEqual(Array.from(short));
    expect(() => fillUniforms("not-hex", short)).toThrow(/32 lowercase hex/);
  });
});
