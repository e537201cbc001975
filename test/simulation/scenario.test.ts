import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ErrorList, ScenarioError } from "../../src/errors.js";
import { loadScenario } from "../../src/scenario/load.js";
import { validateScenario } from "../../src/scenario/validate.js";
import { policyOf } from "../../src/simulation/run.js";

const minimal = { pool: { spec: "qmas-2021", arrivals_per_quarter: 100 }, quota: { per_year: 1000 } };

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScenarioError || err instanceof ErrorList) return err.format();
    throw err;
  }
  throw new Error("no error");
}

describe("scenario validation", () => {
  test("the defaults of docs/scenarios.md are filled in", () => {
    const s = validateScenario(minimal, "scenarios/x.yaml");
    expect(s).toMatchObject({
      name: "x",
      rules: "auto",
      pass_mark: null,
      assessment_capacity: null,
      exercises_per_year: 4,
      unused_quota: "lapse",
      tie_break: ["applied_on", "lottery"],
      apt_first: true,
      pool_rounds: 1,
      withdrawal_per_quarter: 0,
      committee: null,
      period: null,
    });
    expect(s.pool).toMatchObject({ poisson: true, seasonal: [1, 1, 1, 1] });
  });

  test("validating a resolved scenario again gives the same scenario", () => {
    const once = validateScenario(
      { ...minimal, period: { from: "2019-02-03", to: "2020-01-01" } },
      "a/b.yaml",
    );
    expect(once.period).toEqual({ from: "2019-02-03", quarters: 5 });
    expect(validateScenario(structuredClone(once), "a/b.yaml")).toEqual(once);
  });

  test("an unknown key names the file, the key path and the key meant", () => {
    expect(errorOf(() => validateScenario({ ...minimal, quota: { per_yaer: 1000 } }, "s.yaml"))).toContain(
      "s.yaml: quota.per_yaer: unknown key (did you mean 'per_year'?)",
    );
    expect(errorOf(() => validateScenario({ ...minimal, tie_breaks: ["id"] }, "s.yaml"))).toBe(
      "s.yaml: tie_breaks: unknown key (did you mean 'tie_break'?)",
    );
    expect(errorOf(() => validateScenario({ ...minimal, committee: { sector_cap: {} } }, "s.yaml"))).toBe(
      "s.yaml: committee.sector_cap: unknown key (did you mean 'sector_caps'?)",
    );
  });

  test("a wrong type or value names the path", () => {
    expect(errorOf(() => validateScenario({ ...minimal, unused_quota: "carry" }, "s.yaml"))).toBe(
      "s.yaml: unused_quota: expected one of lapse, carry_within_year, carry_forward (carry)",
    );
    expect(errorOf(() => validateScenario({ ...minimal, withdrawal_per_quarter: 2 }, "s.yaml"))).toMatch(
      /^s\.yaml: withdrawal_per_quarter: /,
    );
    expect(
      errorOf(() => validateScenario({ ...minimal, period: { from: "2019-02-30", quarters: 1 } }, "s.yaml")),
    ).toBe("s.yaml: period.from: expected a date YYYY-MM-DD (2019-02-30)");
    expect(
      errorOf(() => validateScenario({ ...minimal, pool: { csv: "a.csv", spec: "b" } }, "s.yaml")),
    ).toContain("s.yaml: pool: give exactly one of 'csv' or 'spec'");
  });

  test("quota shorthands and forms", () => {
    expect(validateScenario({ ...minimal, quota: "unlimited" }, "s.yaml").quota).toEqual({
      per_year: "unlimited",
      changes: [],
      split: "even",
    });
    const s = validateScenario(
      {
        ...minimal,
        quota: {
          per_year: 1000,
          changes: [
            { from: "2021-10-06", per_year: 4000 },
            { from: "2020-11-26", per_year: 2000 },
          ],
        },
      },
      "s.yaml",
    );
    expect(s.quota.changes.map((c) => c.from)).toEqual(["2020-11-26", "2021-10-06"]);
    expect(errorOf(() => validateScenario({ ...minimal, quota: {} }, "s.yaml"))).toContain(
      "quota: give exactly one of 'per_year' or 'per_exercise'",
    );
  });

  test("a CSV path is relative to the scenario file", () => {
    const s = validateScenario({ ...minimal, pool: { csv: "../data/samples/pool.csv" } }, "scenarios/x.yaml");
    expect(s.pool.csv).toBe(join("data", "samples", "pool.csv"));
  });

  test("loadScenario reads YAML and reports YAML and file problems", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmas-scn-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "pool: [unclosed\n");
    expect(errorOf(() => loadScenario(file))).toContain("not valid YAML");
    writeFileSync(
      file,
      "name: ok\npool: {spec: qmas-2021, arrivals_per_quarter: 10}\nquota: {per_year: 4}\nexercise_per_year: 4\n",
    );
    expect(errorOf(() => loadScenario(file))).toBe(
      `${file}: exercise_per_year: unknown key (did you mean 'exercises_per_year'?)`,
    );
    expect(errorOf(() => loadScenario(join(dir, "missing.yaml")))).toContain("cannot read the file");
  });

  test("the baseline scenario is valid and documented", () => {
    const s = loadScenario("scenarios/baseline.yaml");
    expect(s).toMatchObject({
      name: "baseline",
      rules: "auto",
      quota: { per_year: 1000 },
      period: { from: "2019-01-01", quarters: 4 },
    });
    expect(readFileSync("scenarios/baseline.yaml", "utf8")).toMatch(/^# Baseline/);
  });

  test("run-time checks: per-exercise quotas must cover the run; sector shares need a finite quota", () => {
    const short = validateScenario({ ...minimal, quota: { per_exercise: [250, 250, 250] } }, "s.yaml");
    expect(errorOf(() => policyOf(short, { firstQuarter: 2019 * 4, quarters: 4 }, "s.yaml"))).toBe(
      "s.yaml: quota.per_exercise: lists 3 value(s) but the run has 4 exercises",
    );
    expect(policyOf(short, { firstQuarter: 2019 * 4, quarters: 3 }, "s.yaml").quota.per_exercise).toEqual([
      250, 250, 250,
    ]);
    const shares = validateScenario(
      { ...minimal, quota: "unlimited", committee: { sector_shares: { finance: 0.3 } } },
      "s.yaml",
    );
    expect(errorOf(() => policyOf(shares, { firstQuarter: 2019 * 4, quarters: 4 }, "s.yaml"))).toBe(
      "s.yaml: committee.sector_shares: shares of an unlimited quota mean nothing; use sector_caps",
    );
  });
});
