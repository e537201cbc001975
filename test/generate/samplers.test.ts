import { describe, expect, it } from "vitest";
import {
  curveSampler,
  dayProfile,
  GUIDE_BUCKETS,
  guideOf,
  pickGuided,
  pickIndex,
} from "../../src/applicants/generate/compile.js";
import { interpolate, round1 } from "../../src/applicants/generate/math.js";

// The generator's shortcuts must give exactly the values of the plain functions (the stream is pinned).
describe("guide tables (pickGuided)", () => {
  let state = 11;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const cumulative = (weights: number[]) => {
    const total = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    const cum = Float64Array.from(weights, (w) => (acc += w) / total);
    cum[cum.length - 1] = 1;
    return cum;
  };

  it("picks what pickIndex picks, for short and long tables, zero weights and bucket edges", () => {
    const tables = [
      cumulative([1]),
      cumulative([0.998, 0.0005, 0.0015]),
      cumulative([0, 3, 0, 1]),
      cumulative([1, 1]),
    ];
    for (let t = 0; t < 200; t++)
      tables.push(
        cumulative(Array.from({ length: 1 + Math.floor(next() * 40) }, () => (next() < 0.2 ? 0 : next()))),
      );
    for (const cum of tables) {
      const guide = guideOf(cum);
      const us = [
        0,
        1 - 2 ** -53,
        ...Array.from({ length: GUIDE_BUCKETS }, (_, b) => b / GUIDE_BUCKETS),
        ...cum.subarray(0, -1),
        ...Array.from({ length: 500 }, next),
      ];
      for (const u of us) if (u < 1) expect(pickGuided(cum, guide, u)).toBe(pickIndex(cum, u));
    }
  });
});

describe("curve tables (curveSampler)", () => {
  const points: [number, number][] = [
    [22, 0.05],
    [28, 0.3],
    [33, 0.6],
    [40, 0.75],
    [55, 0.7],
  ];
  it("by age: the same doubles as interpolate at every age, whole or not", () => {
    const p = curveSampler({ by: "age", points });
    for (let age = 0; age <= 130; age++) expect(p(age, 0)).toBe(interpolate(points, age));
    for (const age of [33.5, -1, 5000]) expect(p(age, 0)).toBe(interpolate(points, age));
  });
  it("by experience: the same doubles at every one-decimal experience and elsewhere", () => {
    const p = curveSampler({
      by: "experience",
      points: [
        [0, 0.1],
        [7.3, 0.5],
        [20, 0.9],
      ],
    });
    for (let k = 0; k <= 700; k++) {
      const exp = round1(k / 10);
      expect(p(30, exp)).toBe(
        interpolate(
          [
            [0, 0.1],
            [7.3, 0.5],
            [20, 0.9],
          ],
          exp,
        ),
      );
    }
    for (const exp of [4.25, 1e-9, 200])
      expect(p(30, exp)).toBe(
        interpolate(
          [
            [0, 0.1],
            [7.3, 0.5],
            [20, 0.9],
          ],
          exp,
        ),
      );
  });
});

// Day profiles are kept across generatePool calls (a replication asks for the same quarters every
// time), so a hit must return the profile a fresh computation gives, also after many other ranges.
describe("day profiles (kept per range)", () => {
  const monthly = [1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 3];
  /** the cumulative share of each day, computed here from the definition */
  const expected = (from: number, to: number): Float64Array => {
    const weights: number[] = [];
    for (let day = from; day <= to; day++) {
      const d = new Date(day * 86_400_000);
      const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      weights.push(monthly[d.getUTCMonth()]! / daysInMonth);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    const cum = Float64Array.from(weights, (w) => (acc += w) / total);
    cum[cum.length - 1] = 1;
    return cum;
  };
  const q1 = { from: 17897, to: 17986 }; // 2019-01-01 … 2019-03-31

  it("returns the profile of its range, the same array on a second call", () => {
    const first = dayProfile(q1.from, q1.to, monthly);
    expect(Array.from(first)).toEqual(Array.from(expected(q1.from, q1.to)));
    expect(dayProfile(q1.from, q1.to, monthly)).toBe(first);
    // another range, and other weights, are other profiles
    expect(dayProfile(q1.from, q1.to + 1, monthly)).not.toBe(first);
    expect(Array.from(dayProfile(q1.from, q1.to, [...monthly]))).toEqual(Array.from(first));
  });

  it("recomputes a range pushed out by 600 others to the same values", () => {
    const first = Array.from(dayProfile(q1.from, q1.to, monthly));
    for (let k = 1; k <= 600; k++) dayProfile(q1.from + k, q1.to + k, monthly);
    expect(Array.from(dayProfile(q1.from, q1.to, monthly))).toEqual(first);
    expect(Array.from(dayProfile(q1.from + 300, q1.to + 300, monthly))).toEqual(
      Array.from(expected(q1.from + 300, q1.to + 300)),
    );
  });

  it("keeps one guide table per share table", () => {
    const cum = Float64Array.of(0.25, 0.5, 1);
    expect(guideOf(cum)).toBe(guideOf(cum));
    expect(Array.from(guideOf(Float64Array.of(0.25, 0.5, 1)))).toEqual(Array.from(guideOf(cum)));
  });
});
