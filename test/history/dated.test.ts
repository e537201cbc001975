import { describe, expect, test } from "vitest";
import { ErrorList, ScenarioError } from "../../src/errors.js";
import { quarterValues } from "../../src/scenario/dated.js";
import { validateScenario } from "../../src/scenario/validate.js";

/** A full scenario over 2019–2020 (8 quarters) with a dated timeline. */
function scenario(timeline: unknown, extra: Record<string, unknown> = {}) {
  return {
    period: { from: "2019-01-01", quarters: 8 },
    pool: { spec: "qmas-2011", arrivals_per_quarter: 100 },
    quota: { per_year: 1000 },
    timeline,
    ...extra,
  };
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ErrorList) return err.errors.map((e) => e.message).join("\n");
    if (err instanceof ScenarioError) return err.message;
    throw err;
  }
  throw new Error("no error");
}

describe("dated values: validation", () => {
  test("a valid timeline keeps its entries in order, values validated with defaults filled in", () => {
    const s = validateScenario(
      scenario([
        { from: "2019-07-01", set: { "pool.arrivals_per_quarter": 200, assessment_capacity: 50 } },
        { from: "2020-01-01", set: { committee: { standard: { intercept: -1 } } } },
      ]),
      "s.yaml",
    );
    expect(s.timeline).toHaveLength(2);
    // the committee's defaults are filled in, as for the scenario's own committee
    expect(s.timeline[1]!.set["committee"]).toEqual({
      standard: { intercept: -1, per_relative_score: 0, sectors: {} },
      sector_shares: {},
      sector_caps: {},
      approval: [],
      apt_approval: 1,
    });
  });

  test("a bad date names the entry's key", () => {
    expect(
      errorOf(() => validateScenario(scenario([{ from: "2019-13-01", set: { pass_mark: 90 } }]), "s.yaml")),
    ).toBe("s.yaml: timeline.0.from: expected a date YYYY-MM-DD (2019-13-01)");
  });

  test("entries out of order are refused, naming the later entry", () => {
    const msg = errorOf(() =>
      validateScenario(
        scenario([
          { from: "2020-01-01", set: { pass_mark: 90 } },
          { from: "2019-07-01", set: { pass_mark: 100 } },
        ]),
        "s.yaml",
      ),
    );
    expect(msg).toBe(
      "s.yaml: timeline.1.from: 2019-07-01 comes after 2020-01-01: list the entries in date order",
    );
  });

  test("two entries on one day overlap", () => {
    const msg = errorOf(() =>
      validateScenario(
        scenario([
          { from: "2019-07-01", set: { pass_mark: 90 } },
          { from: "2019-07-01", set: { assessment_capacity: 10 } },
        ]),
        "s.yaml",
      ),
    );
    expect(msg).toBe(
      "s.yaml: timeline.1.from: two entries are dated 2019-07-01: they overlap; merge them into one",
    );
  });

  test("entries outside the period are refused", () => {
    expect(
      errorOf(() => validateScenario(scenario([{ from: "2018-12-01", set: { pass_mark: 90 } }]), "s.yaml")),
    ).toBe(
      "s.yaml: timeline.0.from: 2018-12-01 is not after the period's start: put the value in the scenario itself",
    );
    expect(
      errorOf(() => validateScenario(scenario([{ from: "2021-01-01", set: { pass_mark: 90 } }]), "s.yaml")),
    ).toBe("s.yaml: timeline.0.from: 2021-01-01 is after the period's end");
  });

  test("a key that cannot change by date is refused with the nearest dated key", () => {
    const msg = errorOf(() =>
      validateScenario(scenario([{ from: "2019-07-01", set: { assesment_capacity: 10 } }]), "s.yaml"),
    );
    expect(msg).toBe(
      "s.yaml: timeline.0.set.assesment_capacity: cannot change by date (did you mean 'assessment_capacity'?)",
    );
    expect(
      errorOf(() =>
        validateScenario(scenario([{ from: "2019-07-01", set: { tie_break: ["id"] } }]), "s.yaml"),
      ),
    ).toContain("timeline.0.set.tie_break: cannot change by date");
  });

  test("a bad value is reported at its dated key, in the words used everywhere else", () => {
    expect(
      errorOf(() =>
        validateScenario(scenario([{ from: "2019-07-01", set: { assessment_capacity: -5 } }]), "s.yaml"),
      ),
    ).toBe("s.yaml: timeline.0.set.assessment_capacity: must be at least 0 (-5)");
    expect(
      errorOf(() =>
        validateScenario(
          scenario([{ from: "2019-07-01", set: { committee: { standard: { intercep: 1 } } } }]),
          "s.yaml",
        ),
      ),
    ).toContain("timeline.0.set.committee.standard");
  });

  test("a CSV pool cannot switch specs by date", () => {
    const msg = errorOf(() =>
      validateScenario(
        {
          ...scenario([{ from: "2019-07-01", set: { "pool.spec": "qmas-2021" } }]),
          pool: { csv: "pool.csv" },
        },
        "s.yaml",
      ),
    );
    expect(msg).toBe("s.yaml: timeline.0.set.pool.spec: a CSV pool has no generated arrivals to change");
  });
});

describe("dated values: in force per quarter", () => {
  test("an entry governs the quarter containing its date and every later one", () => {
    const s = validateScenario(
      scenario([
        { from: "2019-08-15", set: { assessment_capacity: 50, exercises_per_year: 2 } },
        { from: "2020-04-01", set: { assessment_capacity: null, "pool.arrivals_per_quarter": 300 } },
      ]),
      "s.yaml",
    );
    const v = quarterValues(s, 2019 * 4, 8);
    expect(v.map((q) => q.assessmentCapacity)).toEqual([null, null, 50, 50, 50, null, null, null]);
    expect(v.map((q) => q.exercisesPerYear)).toEqual([4, 4, 2, 2, 2, 2, 2, 2]);
    expect(v.map((q) => q.arrivalsPerQuarter)).toEqual([100, 100, 100, 100, 100, 300, 300, 300]);
  });
});

describe("committee settings", () => {
  const withBands = (approval: unknown, extra: Record<string, unknown> = {}) =>
    scenario([], { committee: { approval, ...extra } });

  test("bands in order without overlaps are accepted", () => {
    expect(
      validateScenario(
        withBands([
          { from: 80, to: 100, probability: 0.3 },
          { from: 100, probability: 0.6 },
        ]),
        "s.yaml",
      ).committee!.approval,
    ).toHaveLength(2);
  });

  test("inverted, overlapping or unordered bands are refused, naming the band", () => {
    expect(
      errorOf(() => validateScenario(withBands([{ from: 100, to: 90, probability: 0.3 }]), "s.yaml")),
    ).toBe("s.yaml: committee.approval.0.to: 90 is not above 'from' (100): the band is empty or inverted");
    expect(
      errorOf(() =>
        validateScenario(
          withBands([
            { from: 80, to: 120, probability: 0.3 },
            { from: 110, probability: 0.6 },
          ]),
          "s.yaml",
        ),
      ),
    ).toBe("s.yaml: committee.approval.1.from: overlaps the previous band (80–120)");
    expect(
      errorOf(() =>
        validateScenario(
          withBands([
            { from: 100, to: 120, probability: 0.3 },
            { from: 80, to: 90, probability: 0.6 },
          ]),
          "s.yaml",
        ),
      ),
    ).toBe(
      "s.yaml: committee.approval.1.from: 80 comes before the previous band's 100: list bands from the lowest score",
    );
  });

  test("a dated committee is checked the same way", () => {
    expect(
      errorOf(() =>
        validateScenario(
          scenario([
            { from: "2019-07-01", set: { committee: { approval: [{ from: 9, to: 8, probability: 0.5 }] } } },
          ]),
          "s.yaml",
        ),
      ),
    ).toBe(
      "s.yaml: timeline.0.set.committee.approval.0.to: 8 is not above 'from' (9): the band is empty or inverted",
    );
  });

  test("a standard and bands together are refused", () => {
    expect(
      errorOf(() =>
        validateScenario(
          withBands([{ from: 80, probability: 0.3 }], { standard: { intercept: 0 } }),
          "s.yaml",
        ),
      ),
    ).toBe("s.yaml: committee.approval: give either a standard or approval bands, not both");
  });
});

describe("a dated pass mark", () => {
  test("above the maximum of the rule sets in force from its date is refused, naming the entry", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { resolveScenario } = await import("../../src/experiments/resolve.js");
    const dir = mkdtempSync(join(tmpdir(), "qmas-dated-"));
    const file = join(dir, "s.yaml");
    writeFileSync(file, JSON.stringify(scenario([{ from: "2019-07-01", set: { pass_mark: 300 } }])));
    expect(() => resolveScenario(file)).toThrow(
      `${file}: timeline.0.set.pass_mark: 300 is above the maximum score of the rule set it applies to (qmas-gpt-2018: 225): nobody could pass`,
    );
  });
});

describe("committee sectors", () => {
  test("a sector the pool cannot draw is refused with the nearest one, also in a dated committee", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { resolveScenario } = await import("../../src/experiments/resolve.js");
    const dir = mkdtempSync(join(tmpdir(), "qmas-sectors-"));
    const file = join(dir, "s.yaml");
    writeFileSync(file, JSON.stringify(scenario([], { committee: { sector_caps: { it_telcom: 10 } } })));
    expect(() => resolveScenario(file)).toThrow(
      /s\.yaml: committee\.sector_caps\.it_telcom: no sector 'it_telcom' in the pool \(sectors: .*\) \(did you mean 'it_telecom'\?\)/,
    );
    writeFileSync(
      file,
      JSON.stringify(
        scenario([
          {
            from: "2020-01-01",
            set: { committee: { standard: { intercept: 0, sectors: { helthcare: 1 } } } },
          },
        ]),
      ),
    );
    expect(() => resolveScenario(file)).toThrow(
      /timeline\.0\.set\.committee\.standard\.sectors\.helthcare: .*did you mean 'healthcare'/,
    );
    writeFileSync(file, JSON.stringify(scenario([], { committee: { sector_caps: { it_telecom: 10 } } })));
    expect(resolveScenario(file).name).toBe("s");
  });
});
