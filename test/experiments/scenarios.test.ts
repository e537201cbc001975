import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { showScenario } from "../../src/cli/show.js";
import { ScenarioError } from "../../src/errors.js";
import { parseVary, sweepGrid } from "../../src/experiments/reports.js";
import { resolveScenario } from "../../src/experiments/resolve.js";

const fixtures = "test/experiments/fixtures";

describe("real scenarios with the real rule book and spec", () => {
  it("show lists every value that differs from the scenario extended", () => {
    const r = showScenario(join(fixtures, "small-rules.yaml"));
    expect(r.extends).toBe(join(fixtures, "small-doubled.yaml"));
    expect(r.scenario.chain).toEqual([
      join(fixtures, "small-rules.yaml"),
      join(fixtures, "small-doubled.yaml"),
      join(fixtures, "small.yaml"),
    ]);
    expect(r.changes.map((c) => [c.path, c.from, c.to])).toEqual([
      ["rules.qmas-gpt-2018.factors.age.components[0].bands.bands[1].points", 20, 25],
      [
        "talent_lists.talent-list-2018.professions.medical_doctor",
        undefined,
        { key: "medical_doctor", label: "medical doctor" },
      ],
    ]);
    // the quota change of the parent is inherited, not listed again
    expect(r.scenario.scenario["quota"]).toMatchObject({ per_year: 320 });
    const full = showScenario(join(fixtures, "small.yaml"));
    expect(full.extends).toBeNull();
    expect(full.changes).toEqual([]);
  });

  it("an override path that does not exist names the file, the path and the closest key", () => {
    expect(() => resolveScenario(join(fixtures, "small-typo.yaml"))).toThrow(ScenarioError);
    expect(() => resolveScenario(join(fixtures, "small-typo.yaml"))).toThrow(
      "test/experiments/fixtures/small-typo.yaml: overrides.quota.per_yaer: override path does not exist: 'quota' has no key 'per_yaer' (did you mean 'quota.per_year'?)",
    );
  });

  it("rule-set overrides are validated by the rule book", () => {
    // raising an age band above the factor's max breaks the rule set: the reform file is named
    const resolve = () =>
      resolveScenario(join(fixtures, "small.yaml"), {
        extra: {
          label: "--vary",
          name: "x",
          overrides: { "rules.qmas-gpt-2018.factors.age.components[0].bands[0].points": 35 },
        },
      });
    expect(resolve).toThrow(/--vary: overrides: rule book invalid after overrides: .*max/);
  });

  it("every scenario of the catalogue resolves, and each reform states its question and sources", () => {
    const files = readdirSync("scenarios").filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(9);
    // the full scenarios: the 2019 baseline and the history replay; every other file is a reform of one
    const full = ["baseline.yaml", "history.yaml"];
    for (const f of files) {
      const r = resolveScenario(join("scenarios", f));
      expect(r.name).toBe(f.replace(/\.yaml$/, ""));
      if (!full.includes(f)) {
        expect(r.chain.at(-1)).toBe("scenarios/baseline.yaml");
        expect(r.question.length, f).toBeGreaterThan(40);
        expect(r.sources.length, f).toBeGreaterThan(0);
        expect(r.overrides.length, f).toBeGreaterThan(0);
      }
    }
  });

  it("spec overrides use the generator's syntax and are validated; errors name the scenario file", () => {
    const r = resolveScenario(join(fixtures, "small.yaml"), {
      extra: {
        label: "--vary",
        name: "x",
        overrides: { "spec.marginals.sector.weights.healthcare": "+0.10" },
      },
    });
    const weights = (r.spec as { marginals: { sector: { weights: Record<string, number> } } }).marginals
      .sector.weights;
    const total = Object.values(weights).reduce((a, b) => a + b, 0);
    // healthcare's weight is 0.05 of weights summing to 0.965 (a 5.18 % share): +10 percentage points
    expect(weights["healthcare"]! / total).toBeCloseTo(0.05 / 0.965 + 0.1, 10);
    expect(() =>
      resolveScenario(join(fixtures, "small.yaml"), {
        extra: { label: "--vary", name: "x", overrides: { "spec.marginals.sectr.weights.it": 1 } },
      }),
    ).toThrow(/^--vary: overrides\.spec\.marginals\.sectr\.weights\.it: .*did you mean 'sector'/);
  });
});

describe("--vary", () => {
  it("parses values as YAML scalars and makes a full factorial grid, the last --vary fastest", () => {
    expect(parseVary("quota.per_year=500, 1000,unlimited")).toEqual({
      path: "quota.per_year",
      values: [500, 1000, "unlimited"],
    });
    expect(parseVary("committee=null")).toEqual({ path: "committee", values: [null] });
    expect(() => parseVary("quota.per_year")).toThrow(/PATH=V1,V2/);
    expect(
      sweepGrid([
        { path: "a", values: [1, 2] },
        { path: "b", values: ["x", "y", "z"] },
      ]),
    ).toEqual([
      [1, "x"],
      [1, "y"],
      [1, "z"],
      [2, "x"],
      [2, "y"],
      [2, "z"],
    ]);
  });
});
