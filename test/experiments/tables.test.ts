import { describe, expect, it } from "vitest";
import { formatCsv } from "../../src/csv-writer.js";
import type { MetricSeries } from "../../src/experiments/metrics.js";
import { replicationHeader, replicationRecords } from "../../src/experiments/tables.js";

describe("replications.csv records", () => {
  it("are the rows a cell-by-cell writer gives: units, replications and metrics in order, labels quoted and neutralised", () => {
    const seeds = ["s0", "s1", "s2"];
    const series = (label: string): MetricSeries[] => [
      { table: "run", key: "all", metric: "allotted", values: [1000, 999.5, null] },
      { table: "cohort", key: `region|${label}`, metric: "share", values: [-0.25, 1e-7, 1e21] },
    ];
    const labels = [
      [0, 'say "hi"'],
      [1, "=SUM(1)"],
    ];
    const units = [series("a,b"), series("x\ny")];
    const rows = labels.flatMap((label, u) =>
      seeds.flatMap((seed, r) =>
        units[u]!.map((s) => [...label, r, seed, s.table, s.key, s.metric, s.values[r] ?? null]),
      ),
    );
    const header = replicationHeader(["cell", "description"]);
    const expected = formatCsv(header, rows);
    const text = [...replicationRecords(labels, seeds, units)].join("");
    expect(`${expected.slice(0, expected.indexOf("\n") + 1)}${text}`).toBe(expected);
    expect(text).toContain(`1,'=SUM(1),2,s2,cohort,"region|x\ny",share,1000000000000000000000\n`);
  });
});
