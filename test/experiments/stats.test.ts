import { describe, expect, it } from "vitest";
import { replicationSeed, replicationSeeds } from "../../src/experiments/seeds.js";
import {
  formatStat,
  summarizeDifferences,
  summarizeValues,
  tCdf,
  tQuantile,
} from "../../src/experiments/stats.js";

describe("t quantile", () => {
  // two-sided 95 % critical values from any printed t table
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [4, 2.7764],
    [9, 2.2622],
    [29, 2.0452],
    [100, 1.984],
  ])("df %i → %f", (df, expected) => {
    expect(tQuantile(0.975, df)).toBeCloseTo(expected, 4);
  });

  it("approaches the normal quantile 1.96 for large df", () => {
    expect(tQuantile(0.975, 100_000)).toBeCloseTo(1.95998, 4);
  });

  it("inverts the CDF", () => {
    expect(tCdf(tQuantile(0.975, 7), 7)).toBeCloseTo(0.975, 12);
    expect(tCdf(0, 3)).toBeCloseTo(0.5, 15);
  });
});

describe("summarizeValues", () => {
  it("matches the hand computation for 1..5", () => {
    // mean 3; sd = sqrt(10/4) = 1.5811388; half-width = t(0.975, 4) × sd / sqrt(5)
    //   = 2.7764451 × 1.5811388 / 2.2360680 = 1.9632432
    const s = summarizeValues([1, 2, 3, 4, 5]);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(1.5811388, 7);
    expect(s.ciLow).toBeCloseTo(3 - 1.9632432, 6);
    expect(s.ciHigh).toBeCloseTo(3 + 1.9632432, 6);
  });

  it("skips missing values and counts only present ones", () => {
    const s = summarizeValues([10, null, 14, Number.NaN]);
    // mean 12, sd = sqrt(8) = 2.8284271, half = 12.7062047 × 2.8284271 / sqrt(2) = 25.4124095
    expect(s.n).toBe(2);
    expect(s.mean).toBe(12);
    expect(s.ciHigh).toBeCloseTo(12 + 25.4124095, 5);
  });

  it("gives no sd or CI for a single value and nothing for none", () => {
    expect(summarizeValues([7])).toEqual({ n: 1, mean: 7, sd: null, ciLow: null, ciHigh: null });
    expect(summarizeValues([])).toEqual({ n: 0, mean: null, sd: null, ciLow: null, ciHigh: null });
  });

  it("reports identical values exactly", () => {
    expect(summarizeValues([0.1, 0.1, 0.1])).toEqual({ n: 3, mean: 0.1, sd: 0, ciLow: 0.1, ciHigh: 0.1 });
  });

  it("pairs differences replication by replication", () => {
    // differences 2, 4, 6 → mean 4, sd 2, half = 4.3026527 × 2 / sqrt(3) = 4.9682754
    const d = summarizeDifferences([10, 20, 30], [12, 24, 36]);
    expect(d.mean).toBe(4);
    expect(d.sd).toBe(2);
    expect(d.ciLow).toBeCloseTo(4 - 4.9682754, 6);
    const same = summarizeDifferences([10, 20, null], [10, 20, 5]);
    expect(same).toEqual({ n: 2, mean: 0, sd: 0, ciLow: 0, ciHigh: 0 });
  });
});

describe("formatStat", () => {
  it("writes at most 6 decimals, no trailing zeros, empty for missing", () => {
    expect(formatStat(1 / 3)).toBe("0.333333");
    expect(formatStat(2)).toBe("2");
    expect(formatStat(-0.0000001)).toBe("0");
    expect(formatStat(-12.5)).toBe("-12.5");
    expect(formatStat(null)).toBe("");
  });
});

describe("replication seeds", () => {
  it("are pinned: a change here changes every published result", () => {
    expect(replicationSeed("qmas", 0)).toBe("1cdfcc9e6e25642b737d9f4980c7f79c");
    expect(replicationSeed("qmas", 1)).toBe("1ea204b1f32f90e5f152f217b881464f");
    expect(replicationSeed(1, 0)).toBe("863c491ef5202150895654b053046447");
    expect(replicationSeed(42, 999)).toBe("4ac5433280e15afff5aff5f5f728cbbe");
  });

  it("do not depend on how many are asked for", () => {
    const ten = replicationSeeds(7, 10);
    expect(replicationSeeds(7, 3)).toEqual(ten.slice(0, 3));
    expect(new Set(ten).size).toBe(10);
    expect(() => replicationSeeds(7, 0)).toThrow(RangeError);
  });
});
