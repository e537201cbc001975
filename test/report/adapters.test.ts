import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  runReportModel,
  scenarioInfoOf,
  writeScenarioRunReport,
} from "../../src/experiments/report-models.js";
import { resolveScenario } from "../../src/experiments/resolve.js";
import { binValues } from "../../src/report/html/binning.js";
import type { RunReportModel } from "../../src/report/html/models.js";
import type { Scenario } from "../../src/scenario/schema.js";
import { cohortTable, summarizeRun } from "../../src/simulation/metrics.js";
import { loadScenarioInputs, runScenario, type ScenarioRun } from "../../src/simulation/run.js";
import { ALLOTTED } from "../../src/simulation/timeline.js";

/** The adapters on real runs of the documented baseline (about 3,000 applications, four quarters). */

let run: ScenarioRun;
let model: RunReportModel;
const tmp = mkdtempSync(join(tmpdir(), "qmas-adapters-"));

beforeAll(async () => {
  const unit = resolveScenario("scenarios/baseline.yaml");
  const scenario = unit.scenario as unknown as Scenario;
  const inputs = await loadScenarioInputs(scenario, { extraFiles: unit.chain });
  run = runScenario(scenario, inputs, { seed: 7 });
  model = runReportModel(run, { unit });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("binValues", () => {
  it("bins by floor(value / width) per group, skipping -1 and empty bins", () => {
    const values = [0, 4, 5, 9, 10, 12, 99];
    const groups = [0, 1, 0, -1, 1, 1, 0];
    expect(
      binValues(
        values.length,
        (i) => values[i]!,
        (i) => groups[i]!,
        ["a", "b"],
        5,
      ),
    ).toEqual([
      { start: 0, count: 1, group: "a" },
      { start: 0, count: 1, group: "b" },
      { start: 5, count: 1, group: "a" },
      { start: 10, count: 2, group: "b" },
      { start: 95, count: 1, group: "a" },
    ]);
  });
});

describe("runReportModel on a real baseline run", () => {
  it("headline figures are the run's summary", () => {
    const s = summarizeRun(run.result);
    expect(model.headline.applications).toBe(s.applications);
    expect(model.headline.allotted).toBe(s.allotted);
    expect(model.headline.personsAdmitted).toBe(s.persons_admitted);
    expect(model.headline.medianCutoff).toBe(s.median_cutoff_score);
    expect(model.headline.medianWaitDays).toBe(s.median_wait_days_allotted);
    expect(model.provenance.seed).toBe(7);
    expect(model.provenance.ruleSets.map((r) => r.id)).toEqual(["qmas-gpt-2018"]);
    expect(model.provenance.ruleSets[0]!.sources.length).toBeGreaterThan(0);
    expect(model.provenance.period).toBe("quarters 2019Q1–2019Q4");
    expect(model.scores.passMark).toBe(80);
  });

  it("the score histogram holds every assessed application once, and the allotted ones at or above each cutoff", () => {
    const r = run.result;
    let assessed = 0;
    for (let i = 0; i < r.apps.size; i++) if (r.assessmentQuarter[i]! >= 0) assessed++;
    expect(model.scores.bins.reduce((s, b) => s + b.count, 0)).toBe(assessed);
    const allottedBins = model.scores.bins.filter((b) => b.group === "allotted");
    expect(allottedBins.reduce((s, b) => s + b.count, 0)).toBe(model.headline.allotted);
    const lowestCutoff = Math.min(...model.scores.cutoffs.map((c) => c.score ?? Number.POSITIVE_INFINITY));
    // nobody allotted below the lowest cutoff (the bin holding it may start up to 4 points lower)
    expect(Math.min(...allottedBins.map((b) => b.start))).toBe(Math.floor(lowestCutoff / 5) * 5);
    expect(model.scores.bins.filter((b) => b.group === "below pass mark").every((b) => b.start < 80)).toBe(
      true,
    );
  });

  it("quarters and cohorts are the rounds and cohort tables", () => {
    expect(model.quarters.map((q) => q.quarter)).toEqual(["2019Q1", "2019Q2", "2019Q3", "2019Q4"]);
    run.result.rounds.forEach((m, k) => {
      const q = model.quarters[k]!;
      expect([q.arrivals, q.assessed, q.backlog, q.allotted, q.quota, q.cutoff]).toEqual([
        m.arrivals,
        m.assessed,
        m.backlog,
        m.allotted,
        m.quota,
        m.cutoff_score,
      ]);
    });
    expect(model.cohorts.map((c) => c.dimension)).toEqual(["age band", "sector", "region", "education"]);
    const table = cohortTable(run.result);
    for (const c of model.cohorts) {
      expect(c.rows.reduce((s, r) => s + r.applicants, 0)).toBe(model.headline.applications);
      expect(c.rows.reduce((s, r) => s + r.allotted, 0)).toBe(model.headline.allotted);
    }
    const sector = table
      .filter((t) => t.dimension === "sector")
      .map((t) => [t.group, t.applications, t.allotted]);
    expect(model.cohorts[1]!.rows.map((r) => [r.category, r.applicants, r.allotted])).toEqual(sector);
    // per-quarter median wait is over that quarter's allotted applications
    let n = 0;
    for (let i = 0; i < run.result.apps.size; i++) if (run.result.decision[i] === ALLOTTED) n++;
    expect(n).toBe(model.headline.allotted);
  });

  it("writes a report that states the seed, the rule set and its sources", async () => {
    const written = await writeScenarioRunReport(join(tmp, "run"), run);
    const html = readFileSync(written.html, "utf8");
    expect(html).toContain("seed <code>7</code>");
    expect(html).toContain("<code>qmas-gpt-2018</code>");
    // nine charts of the selection, two after allotment (survival, stock by state)
    expect((html.match(/<svg\b/g) ?? []).length).toBe(11);
  });

  it("a reform lists what it changes against the scenario it extends", () => {
    const info = scenarioInfoOf(resolveScenario("scenarios/quota-doubled.yaml"));
    expect(info.extends).toMatch(/baseline\.yaml$/);
    expect(info.changes.length).toBeGreaterThan(0);
    expect(
      info.changes.some(
        (c) => c.path.startsWith("quota") && c.before !== null && c.after !== null && c.before !== c.after,
      ),
    ).toBe(true);
  });
});
