import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { validateScenario } from "../../src/scenario/validate.js";
import { metricTable } from "../../src/simulation/metrics.js";
import { writeRunOutputs } from "../../src/simulation/outputs.js";
import { loadScenarioInputs, runScenario } from "../../src/simulation/run.js";

const FILES = ["decisions.csv", "rounds.csv", "cohort.csv", "manifest.json"];
const scenario = validateScenario(
  {
    name: "small",
    seed: 11,
    period: { from: "2018-07-01", quarters: 3 },
    pool: { spec: "qmas-2021", arrivals_per_quarter: 300 },
    quota: { per_year: 400 },
    assessment_capacity: 280,
    withdrawal_per_quarter: 0.05,
    pool_rounds: 2,
  },
  "scenarios/small.yaml",
);

async function runTo(seed: number): Promise<{ dir: string; files: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), "qmas-out-"));
  const inputs = await loadScenarioInputs(scenario);
  await writeRunOutputs(runScenario(scenario, inputs, { seed }), dir);
  return { dir, files: Object.fromEntries(FILES.map((f) => [f, readFileSync(join(dir, f), "utf8")])) };
}

describe("output files", () => {
  test("same seed, same bytes in every file; another seed, other decisions", async () => {
    const a = await runTo(5);
    const b = await runTo(5);
    for (const f of FILES) expect(b.files[f], f).toBe(a.files[f]);
    const c = await runTo(6);
    expect(c.files["decisions.csv"]).not.toBe(a.files["decisions.csv"]);

    const decisions = a.files["decisions.csv"]!.trim().split("\n");
    expect(decisions[0]).toBe(
      "id,applied_on,arrival_quarter,assessment_quarter,rule_set,route,total,rank,decision,decision_quarter,wait_days,persons,arrived_on,exit_on,residence_state",
    );
    // the run spans 2018-08-28: applications switch from the 2015 to the 2018 table on that date
    const rules = new Set(
      decisions.slice(1).map((l) => `${l.split(",")[1]! < "2018-08-28"}:${l.split(",")[4]}`),
    );
    expect([...rules].sort()).toEqual(["false:qmas-gpt-2018", "true:qmas-gpt-2015"]);
    const rounds = a.files["rounds.csv"]!.trim().split("\n");
    expect(rounds).toHaveLength(4);
    expect(rounds[1]).toMatch(/^2018Q3,1,/);
    const manifest = JSON.parse(a.files["manifest.json"]!);
    expect(manifest).toMatchObject({
      tool: "qmas-sim",
      seed: 5,
      rng: "seedrandom/alea",
      scenario: { name: "small" },
    });
    expect(manifest.rule_sets.map((r: { id: string }) => r.id)).toEqual(["qmas-gpt-2015", "qmas-gpt-2018"]);
    const inputPaths = manifest.inputs.map((i: { path: string }) => i.path);
    expect(inputPaths).toContain("data/rules/qmas-gpt-2018.yaml");
    expect(inputPaths.at(-2)).toMatch(/qmas-2021\.yaml$/);
    expect(inputPaths.at(-1)).toBe("data/residence/qmas.yaml");
    for (const i of manifest.inputs) expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.files["manifest.json"]).not.toMatch(/20\d\d-\d\d-\d\dT/);
  });

  test("the metric table: cohort shares of each dimension add up to 1; round totals add up", async () => {
    const inputs = await loadScenarioInputs(scenario);
    const t = metricTable(runScenario(scenario, inputs).result);
    for (const dim of ["age_band", "sex", "region", "sector", "education", "route"]) {
      const shares = Object.entries(t).filter(
        ([k]) => k.startsWith(`cohort.${dim}.`) && k.endsWith(".share_of_allotted"),
      );
      expect(shares.reduce((s, [, v]) => s + v, 0)).toBeCloseTo(1, 9);
    }
    const roundAllotted = Object.entries(t).filter(([k]) => /^round\.\d{4}Q\d\.allotted$/.test(k));
    expect(roundAllotted).toHaveLength(3);
    expect(roundAllotted.reduce((s, [, v]) => s + v, 0)).toBe(t["total.allotted"]);
  });
});
