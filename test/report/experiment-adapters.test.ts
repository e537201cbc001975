import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runExperiment } from "../../src/experiments/experiment.js";
import type { ExperimentSpec } from "../../src/experiments/manifest.js";
import {
  compareReportModel,
  type ExperimentHtmlInput,
  replicationReportModel,
  sweepReportModel,
  writeExperimentHtmlReport,
} from "../../src/experiments/report-models.js";
import { resolveScenario } from "../../src/experiments/resolve.js";
import type { ResolvedScenario } from "../../src/scenario/extends.js";

/**
 * The experiment adapters on small real experiments over the documented baseline, run in this thread
 * straight through runExperiment (the CSV writing of writeExperimentReport is the experiments' test).
 */

const tmp = mkdtempSync(join(tmpdir(), "qmas-exp-adapters-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function experiment(
  name: string,
  spec: ExperimentSpec,
  units: ResolvedScenario[],
): Promise<ExperimentHtmlInput> {
  const run = await runExperiment(units, {
    masterSeed: spec.seed,
    replications: spec.replications,
    jobs: 1,
    dataDir: "data",
  });
  return { outDir: join(tmp, name), files: ["replications.csv"], run, spec, dataDir: "data" };
}

describe("experiment adapters", () => {
  it("compare: metrics with paired CIs and the changed parameters; report written beside the CSVs", async () => {
    const spec = {
      command: "compare",
      baseline: "scenarios/baseline.yaml",
      reform: "scenarios/quota-doubled.yaml",
      replications: 2,
      seed: "11",
    } as const;
    const report = await experiment("compare", spec, [
      resolveScenario(spec.baseline),
      resolveScenario(spec.reform),
    ]);
    const m = compareReportModel(report);
    const allotted = m.metrics.find((x) => x.name === "allotted")!;
    expect(allotted.difference).toBeCloseTo(allotted.reform! - allotted.baseline!, 6);
    expect(allotted.ci).not.toBeNull();
    expect(allotted.ci!.lo).toBeLessThanOrEqual(allotted.difference!);
    expect(m.changedParameters.length).toBeGreaterThan(0);
    expect(m.provenance.replications).toBe(2);
    expect(m.series?.map((s) => s.metric)).toContain("cutoff_score");
    const written = await writeExperimentHtmlReport(report);
    expect(readFileSync(written.html, "utf8")).toContain("Baseline, reform and difference per metric");
  });

  it("sweep: one cell per combination with the run metrics", async () => {
    const spec: ExperimentSpec = {
      command: "sweep",
      scenario: "scenarios/baseline.yaml",
      vary: [{ path: "quota.per_year", values: [500, 2000] }],
      replications: 1,
      seed: "5",
    };
    const cells = [500, 2000].map((quota, i) =>
      resolveScenario(spec.scenario, {
        extra: { label: "--vary", name: `baseline-cell${i}`, overrides: { "quota.per_year": quota } },
      }),
    );
    const report = await experiment("sweep", spec, cells);
    const m = sweepReportModel(report);
    expect(m.axes).toEqual([{ path: "quota.per_year", values: [500, 2000] }]);
    expect(m.cells.map((c) => c.coordinates["quota.per_year"])).toEqual([500, 2000]);
    const allotted = m.cells.map((c) => c.metrics["allotted"]!.mean!);
    expect(allotted[0]).toBeLessThanOrEqual(500);
    expect(allotted[1]).toBeGreaterThan(allotted[0]!);
    const written = await writeExperimentHtmlReport(report);
    expect((readFileSync(written.html, "utf8").match(/<svg\b/g) ?? []).length).toBe(2);
  });

  it("replications: means and CIs per quarter, distributions from replication 1", async () => {
    const spec = {
      command: "replicate",
      scenario: "scenarios/baseline.yaml",
      replications: 2,
      seed: "3",
    } as const;
    const report = await experiment("replicate", spec, [resolveScenario(spec.scenario)]);
    const m = await replicationReportModel(report);
    expect(m.provenance.replications).toBe(2);
    expect(m.provenance.seed).toBe("3");
    expect(m.scores.note).toBe(`Distribution from replication 1 of 2 (seed ${report.run.seeds[0]}).`);
    expect(m.quarters).toHaveLength(4);
    expect(
      m.quarters.every(
        (q) => q.allottedCi !== undefined && q.allottedCi.lo <= q.allotted && q.allotted <= q.allottedCi.hi,
      ),
    ).toBe(true);
    expect(m.headlineCi?.allotted).toBeDefined();
    const html = (await writeExperimentHtmlReport(report)).html;
    expect(readFileSync(html, "utf8")).toContain("2 replications (95 % confidence intervals shown)");
  });
});
