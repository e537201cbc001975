import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runMetrics } from "../../src/experiments/model.js";
import { validateScenario } from "../../src/scenario/validate.js";
import { decisionRows, writeRunOutputs } from "../../src/simulation/outputs.js";
import { loadScenarioInputs, runScenario } from "../../src/simulation/run.js";

const FILES = ["decisions.csv", "rounds.csv", "cohort.csv", "residence.csv", "cohorts.csv", "manifest.json"];

function scenario(residence: Record<string, unknown> = {}) {
  return validateScenario(
    {
      name: "residence-small",
      seed: 3,
      period: { from: "2019-01-01", quarters: 4 },
      pool: { spec: "qmas-2021", arrivals_per_quarter: 300 },
      quota: { per_year: 400 },
      residence,
    },
    "scenarios/residence-small.yaml",
  );
}

async function runTo(s: ReturnType<typeof scenario>, seed: number) {
  const dir = mkdtempSync(join(tmpdir(), "qmas-residence-"));
  const inputs = await loadScenarioInputs(s);
  const run = runScenario(s, inputs, { seed });
  const written = await writeRunOutputs(run, dir);
  const read = (f: string) => {
    try {
      return readFileSync(join(dir, f), "utf8");
    } catch {
      return undefined;
    }
  };
  return { run, written, files: Object.fromEntries(FILES.map((f) => [f, read(f)])) };
}

describe("the residence pipeline in a run", () => {
  test("same seed, same bytes in residence.csv, cohorts.csv and decisions.csv", async () => {
    const s = scenario();
    const a = await runTo(s, 5);
    const b = await runTo(s, 5);
    for (const f of FILES) expect(b.files[f], f).toBe(a.files[f]);
    const c = await runTo(s, 6);
    expect(c.files["residence.csv"]).not.toBe(a.files["residence.csv"]);
  });

  test("the selection's outputs are the same with the pipeline on or off (it draws from its own stream)", async () => {
    const on = await runTo(scenario(), 5);
    const off = await runTo(scenario({ enabled: false }), 5);
    expect(on.files["rounds.csv"]).toBe(off.files["rounds.csv"]);
    expect(on.files["cohort.csv"]).toBe(off.files["cohort.csv"]);
    expect(off.files["residence.csv"]).toBeUndefined();
    const strip = (text: string) =>
      text
        .trim()
        .split("\n")
        .map((l) => l.split(",").slice(0, 12).join(","));
    expect(strip(on.files["decisions.csv"]!)).toEqual(strip(off.files["decisions.csv"]!));
  });

  test("residence.csv: one row per quarter to 8 years after the last exercise; the five states add up", async () => {
    const { files, run } = await runTo(scenario(), 5);
    const rows = files["residence.csv"]!.trim().split("\n");
    expect(rows[0]).toBe(
      "quarter,allotted_to_date,awaiting_arrival,never_arrived,in_hk,left_hk,permanent_resident,persons_in_hk",
    );
    expect(rows[1]!.startsWith("2019Q1,")).toBe(true);
    expect(rows[rows.length - 1]!.startsWith("2027Q4,")).toBe(true);
    expect(rows.length - 1).toBe(4 + 32);
    for (const line of rows.slice(1)) {
      const [, allotted, ...rest] = line.split(",").map(Number);
      expect(allotted).toBe(rest.slice(0, 5).reduce((x, y) => x + y, 0));
    }
    const last = rows[rows.length - 1]!.split(",").map(Number);
    expect(last[1]).toBe(400);
    // decisions.csv: every allotted principal has a state, nobody else does
    let allotted = 0;
    for (const row of decisionRows(run)) {
      if (row[8] === "allotted") {
        allotted++;
        expect(String(row[14])).toMatch(/^(never_arrived|in_hk|left_hk|permanent_resident)$/);
        if (row[14] === "never_arrived") expect([row[12], row[13]]).toEqual(["", ""]);
        if (row[14] === "left_hk") expect(String(row[13])).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      } else expect(row.slice(12)).toEqual(["", "", ""]);
    }
    expect(allotted).toBe(400);
  });

  test("cohorts.csv and the metric table agree with residence.csv at the horizon", async () => {
    const { files, run } = await runTo(scenario(), 5);
    const header = files["cohorts.csv"]!.split("\n")[0]!.split(",");
    expect(header).toEqual([
      "allotment_year",
      "allotted",
      "persons",
      "arrived",
      "persons_arrived",
      "extension_1_applied",
      "extension_1_granted",
      "extension_2_applied",
      "extension_2_granted",
      "extension_3_applied",
      "extension_3_granted",
      "in_hk_after_7y",
      "persons_in_hk_after_7y",
      "permanent_residents",
      "persons_permanent_residents",
    ]);
    const cohort = files["cohorts.csv"]!.trim().split("\n")[1]!.split(",").map(Number);
    const last = files["residence.csv"]!.trim().split("\n").at(-1)!.split(",").map(Number);
    expect(cohort[0]).toBe(2019);
    expect(cohort[1]).toBe(400);
    expect(cohort[13]).toBe(last[6]); // permanent residents
    // 2+3+3 (approvals of 2019): two renewals before 7 years, none at a third
    expect(cohort[9]).toBe(0);
    const metrics = runMetrics(run.result, run.residence);
    const table = metrics.find((t) => t.name === "run")!;
    const value = (m: string) => table.rows[0]![table.metricColumns.indexOf(m)];
    expect(value("permanent_residents")).toBe(last[6]);
    expect(value("persons_in_hk_end")).toBe(last[7]);
    expect(value("arrived")).toBe(cohort[3]);
    expect(value("in_hk_after_7y")).toBe(cohort[11]);
    // year ends 2019 … 2027
    expect(metrics.find((t) => t.name === "residence")!.rows.map((r) => r[0])).toEqual([
      "2019Q4",
      "2020Q4",
      "2021Q4",
      "2022Q4",
      "2023Q4",
      "2024Q4",
      "2025Q4",
      "2026Q4",
      "2027Q4",
    ]);
  });
});
