import { describe, expect, it } from "vitest";
import {
  collectSeries,
  compareSeries,
  type MetricTable,
  summarizeSeries,
} from "../../src/experiments/metrics.js";

function cohort(rows: [string, number, number | null][]): MetricTable {
  return {
    name: "cohort",
    keyColumns: ["group"],
    metricColumns: ["applications", "rate"],
    rows: rows.map(([g, a, r]) => [g, a, r]),
    absentAsZero: ["applications"],
  };
}

describe("metric series across replications", () => {
  it("line up by table, key and metric; absent rows count 0 only where declared", () => {
    const reps = [
      [
        cohort([
          ["a", 10, 0.5],
          ["b", 2, 0.25],
        ]),
      ],
      [cohort([["a", 12, 0.4]])],
      [
        cohort([
          ["b", 4, null],
          ["c", 1, 1],
        ]),
      ],
    ];
    const series = collectSeries(reps);
    expect(series.map((s) => `${s.key}.${s.metric}=${JSON.stringify(s.values)}`)).toEqual([
      "a.applications=[10,12,0]",
      "a.rate=[0.5,0.4,null]",
      "b.applications=[2,0,4]",
      "b.rate=[0.25,null,null]",
      "c.applications=[0,0,1]",
      "c.rate=[null,null,1]",
    ]);
    const summary = summarizeSeries(series);
    // b.applications: 2, 0, 4 → mean 2, sd 2; c.rate from one replication: no sd
    expect(summary[2]).toMatchObject({ key: "b", metric: "applications", n: 3, mean: 2, sd: 2 });
    expect(summary[5]).toMatchObject({ key: "c", metric: "rate", n: 1, mean: 1, sd: null, ciLow: null });
  });

  it("compare pairs replication i with replication i", () => {
    const base = collectSeries([[cohort([["a", 10, 0.5]])], [cohort([["a", 20, 0.5]])]]);
    const reform = collectSeries([[cohort([["a", 13, 0.5]])], [cohort([["a", 23, 0.5]])]]);
    const [apps] = compareSeries(base, reform);
    // means 15 and 18 with sd 7.07 each, but every pair differs by exactly 3
    expect(apps!.baseline.mean).toBe(15);
    expect(apps!.reform.mean).toBe(18);
    expect(apps!.difference).toEqual({ n: 2, mean: 3, sd: 0, ciLow: 3, ciHigh: 3 });
  });
});
