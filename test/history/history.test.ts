import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseIsoDay, quarterOfDay, quarterStartDay } from "../../src/dates.js";
import { writeExperimentReport } from "../../src/experiments/reports.js";
import { resolveScenario } from "../../src/experiments/resolve.js";
import { quarterValues } from "../../src/scenario/dated.js";
import type { Scenario } from "../../src/scenario/schema.js";
import { loadScenarioInputs, runScenario } from "../../src/simulation/run.js";
import { loadPublishedFigures, parsePublishedFigures } from "../../src/validation/published.js";
import { VALIDATION_COLUMNS } from "../../src/validation/table.js";

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "qmas-history-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const history = () => resolveScenario("scenarios/history.yaml").scenario as unknown as Scenario;

describe("applications by period (data/history/applications.yaml)", () => {
  const data = parseYaml(readFileSync("data/history/applications.yaml", "utf8")) as {
    periods: { from: string; to: string; applications: number; basis: string; confidence: string }[];
  };

  test("periods chain from launch day without gaps or overlaps, each with a basis and confidence", () => {
    expect(data.periods[0]!.from).toBe("2006-06-28");
    for (let i = 1; i < data.periods.length; i++)
      expect(parseIsoDay(data.periods[i]!.from)).toBe(parseIsoDay(data.periods[i - 1]!.to) + 1);
    for (const p of data.periods) {
      expect(["published", "derived", "interpolated", "assumption"]).toContain(p.basis);
      expect(p.confidence).toMatch(/^(C2|S1|X|low|-)$/);
    }
    // 2013–2021 add up to the published 28,136 (36,689 − 8,553) within the interpolation's rounding
    const y = data.periods.filter((p) => p.from >= "2013-01-01" && p.to <= "2021-12-31");
    expect(Math.abs(y.reduce((s, p) => s + p.applications, 0) - 28_136)).toBeLessThan(20);
  });

  test("history.yaml's arrivals agree with the data, period by period (within 1 %)", () => {
    const s = history();
    const first = quarterOfDay(parseIsoDay(s.period!.from));
    const values = quarterValues(s, first, s.period!.quarters);
    for (const p of data.periods) {
      const from = parseIsoDay(p.from);
      const to = parseIsoDay(p.to);
      let expected = 0;
      values.forEach((v, k) => {
        const start = quarterStartDay(first + k);
        const end = quarterStartDay(first + k + 1);
        const overlap = Math.min(end, to + 1) - Math.max(start, from, parseIsoDay(s.period!.from));
        if (overlap > 0) expected += (v.arrivalsPerQuarter * overlap) / (end - start);
      });
      expect(Math.abs(expected - p.applications) / p.applications, `${p.from}..${p.to}`).toBeLessThan(0.01);
    }
  });
});

describe("history.yaml", () => {
  test("a generated pool starts on launch day: nobody is dated before 2006-06-28, the first quarter gets its share", async () => {
    const s = history();
    const inputs = await loadScenarioInputs(s);
    const run = runScenario({ ...s, period: { from: "2006-06-28", quarters: 3 } }, inputs, { seed: 1 });
    const apps = run.result.apps;
    let earliest = Number.POSITIVE_INFINITY;
    for (let g = 0; g < apps.size; g++) earliest = Math.min(earliest, apps.appliedOn[g]!);
    expect(earliest).toBeGreaterThanOrEqual(parseIsoDay("2006-06-28"));
    // 3 of 91 days of 2006Q2 at 281 a quarter: a handful, not a quarter's worth
    expect(run.result.rounds[0]!.arrivals).toBeLessThan(30);
    expect(run.result.rounds[1]!.arrivals).toBeGreaterThan(200);
    // the first exercise is in Q4 (one exercise in 2006)
    expect(run.result.rounds.map((m) => m.exercise)).toEqual([false, false, true]);
  });

  test("rule sets switch by date in one run, and the committee leaves places unfilled", async () => {
    const s = history();
    const inputs = await loadScenarioInputs(s);
    expect([...(inputs.datedSpecs?.keys() ?? [])].sort()).toEqual(["qmas-2011", "qmas-2021", "qmas-2023"]);
    const r = runScenario({ ...s, period: { from: "2006-06-28", quarters: 40 } }, inputs, { seed: 2 }).result;
    expect(r.apps.ruleSetIds).toEqual(["qmas-gpt-2006", "qmas-gpt-2008", "qmas-gpt-2015"]);
    const exercises = r.rounds.filter((m) => m.exercise);
    for (const m of exercises) expect(m.allotted).toBeLessThanOrEqual(m.quota + m.carried_in);
    // 2008–2011: 1,000 places a year, a few hundred allotted
    const years = exercises.filter(
      (m) => Math.floor(m.quarter / 4) >= 2008 && Math.floor(m.quarter / 4) <= 2011,
    );
    expect(years.reduce((a, m) => a + m.allotted, 0)).toBeLessThan(4 * 1000 * 0.7);
  });

  test("validate -n 2 writes validation.csv with every covered figure, gap_pct = 100 × (simulated − published) / published", async () => {
    const out = tmp();
    const report = await writeExperimentReport(
      { command: "validate", scenario: "scenarios/history.yaml", replications: 2, seed: "t" },
      { outDir: out, jobs: 1 },
    );
    expect(report.files.sort()).toEqual([
      "manifest.json",
      "replications.csv",
      "report.html",
      "summary.csv",
      "summary.md",
      "validation.csv",
    ]);
    const text = readFileSync(join(out, "validation.csv"), "utf8");
    expect(text.split("\n")[0]).toBe(VALIDATION_COLUMNS.join(","));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    // every figure of data/published/qmas.yaml lies inside 2006-06-28 .. 2025-06-30
    const qmasFigures = loadPublishedFigures().filter((f) => f.file.endsWith("qmas.yaml"));
    for (const f of qmasFigures) expect(rows.map((r) => r["figure"])).toContain(f.id);
    for (const r of rows) {
      const published = Number(r["published"]);
      const simulated = Number(r["simulated"]);
      expect(Number(r["gap_pct"])).toBeCloseTo((100 * (simulated - published)) / published, 0);
      expect(r["source"]).toMatch(/^https?:\/\//);
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain('id="validation"');
    expect(html).toContain("Published vs simulated");
  });
});

describe("published figures (data/published/)", () => {
  test("every figure has a period, a value, a source and a confidence mark", () => {
    const figures = loadPublishedFigures();
    expect(figures.length).toBeGreaterThan(30);
    for (const f of figures) {
      expect(f.period.from <= f.period.to).toBe(true);
      expect(f.source).toMatch(/^https?:\/\//);
      expect(f.confidence.length).toBeGreaterThan(0);
    }
  });

  test("a bad file is refused naming the file and key", () => {
    expect(() =>
      parsePublishedFigures(
        {
          id: "x",
          figures: [
            {
              id: "a",
              period: { from: "2019-01-01", to: "2018-01-01" },
              metric: "allotted",
              value: 1,
              confidence: "S1",
              source: "u",
            },
          ],
        },
        "bad.yaml",
      ),
    ).toThrow("bad.yaml: figures[0].period.to: 2018-01-01 is before 2019-01-01");
    expect(() =>
      parsePublishedFigures(
        {
          id: "x",
          figures: [
            {
              id: "a",
              period: { from: "2019-01-01", to: "2019-12-31" },
              metric: "allotted_share",
              value: 1,
              confidence: "S1",
              source: "u",
            },
          ],
        },
        "bad.yaml",
      ),
    ).toThrow("bad.yaml: figures[0].where: a share needs one group");
  });
});

describe("baseline.yaml", () => {
  test("reproduces 2019's 874 allotted within ±15 % (mean of 10 replications)", async () => {
    const out = tmp();
    const report = await writeExperimentReport(
      { command: "replicate", scenario: "scenarios/baseline.yaml", replications: 10, seed: "2019" },
      { outDir: out, jobs: 1, html: false },
    );
    const allotted = report.run.series[0]!.find((s) => s.table === "run" && s.metric === "allotted")!;
    const mean = allotted.values.reduce((a, v) => a! + v!, 0)! / allotted.values.length;
    expect(Math.abs(mean - 874) / 874).toBeLessThan(0.15);
  });
});
