import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  listDistributionSpecs,
  loadDistributionSpec,
  parseDistributionSpec,
} from "../../src/applicants/generate/index.js";
import { InputError } from "../../src/errors.js";
import { rawSpec, specErrors } from "./helpers.js";

describe("shipped specs", () => {
  test("both specs load and name themselves after their file", () => {
    expect(listDistributionSpecs()).toEqual(expect.arrayContaining(["qmas-2006", "qmas-2021"]));
    for (const id of ["qmas-2006", "qmas-2021"]) {
      const spec = loadDistributionSpec(id);
      expect(spec.id).toBe(id);
      expect(spec.file).toBe(join("data", "distributions", `${id}.yaml`));
      expect(spec.calibration?.targets.length).toBeGreaterThan(3);
    }
  });

  test("a spec loads by path as well as by id", () => {
    expect(loadDistributionSpec("data/distributions/qmas-2006.yaml").id).toBe("qmas-2006");
  });

  test("an unknown id is a usage error listing the available specs", () => {
    expect(() => loadDistributionSpec("qmas-2099")).toThrow(InputError);
    expect(() => loadDistributionSpec("qmas-2099")).toThrow(/available: .*qmas-2006.*qmas-2021/);
  });

  test("broken YAML is a SpecError naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmas-spec-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "id: [unclosed\n");
    const [e] = specErrors(() => loadDistributionSpec(file));
    expect(e!.file).toBe(file);
    expect(e!.reason).toMatch(/not valid YAML/);
  });
});

/** Mutate the 2021 spec, validate it as file "bad.yaml", return the single error. */
function errorAfter(mutate: (raw: ReturnType<typeof rawSpec>) => void) {
  const raw = rawSpec("qmas-2021");
  mutate(raw);
  const errors = specErrors(() => parseDistributionSpec(raw, "bad.yaml"));
  expect(errors).toHaveLength(1);
  expect(errors[0]!.file).toBe("bad.yaml");
  return errors[0]!;
}

describe("spec validation names file, key path and reason", () => {
  test("weights that do not sum to a positive number", () => {
    const e = errorAfter((r) => {
      r.marginals.sex = { weights: { M: 0, F: 0 }, source: "assumption" };
    });
    expect(e.path).toBe("marginals.sex.weights");
    expect(e.reason).toMatch(/sum to a positive number/);
  });

  test("negative weight", () => {
    const e = errorAfter((r) => {
      r.marginals.sex = { weights: { M: 1, F: -0.2 }, source: "assumption" };
    });
    expect(e.path).toBe("marginals.sex.weights.F");
  });

  test("unknown variable, with the closest name (and the required one reported missing)", () => {
    const raw = rawSpec("qmas-2021");
    raw.marginals.sectr = raw.marginals.sector;
    delete raw.marginals.sector;
    const errors = specErrors(() => parseDistributionSpec(raw, "bad.yaml"));
    expect(errors.map((e) => [e.path, e.suggestion])).toEqual([
      ["marginals.sectr", "sector"],
      ["marginals.sector", undefined],
    ]);
    expect(errors[1]!.reason).toMatch(/required variable is missing/);
  });

  test("unknown key inside a distribution, with the closest key", () => {
    const e = errorAfter((r) => {
      r.marginals.experience_noise = { dist: "normal", mean: 0, sdd: 2, sd: 2, source: "assumption" };
    });
    expect(e.path).toBe("marginals.experience_noise.sdd");
    expect(e.suggestion).toBe("sd");
  });

  test("unknown top-level key, with the closest key", () => {
    const e = errorAfter((r) => {
      r.conditional = {};
    });
    expect(e.path).toBe("conditional");
    expect(e.suggestion).toBe("conditionals");
  });

  test("unknown distribution name", () => {
    const e = errorAfter((r) => {
      r.marginals.senior_onset = { dist: "normall", mean: 5, sd: 2, source: "assumption" };
    });
    expect(e.path).toBe("marginals.senior_onset.dist");
    expect(e.suggestion).toBe("normal");
  });

  test("min above max", () => {
    const e = errorAfter((r) => {
      r.marginals.senior_onset = { dist: "normal", mean: 5, sd: 2, min: 9, max: 3, source: "assumption" };
    });
    expect(e.path).toBe("marginals.senior_onset.min");
    expect(e.reason).toMatch(/min 9 > max 3/);
  });

  test("negative where impossible (income)", () => {
    const e = errorAfter((r) => {
      r.marginals.income_base = { dist: "uniform", min: -5000, max: 100000, source: "assumption" };
    });
    expect(e.path).toBe("marginals.income_base");
    expect(e.reason).toMatch(/cannot be below 0/);
  });

  test("an age that makes experience ≤ age − 14 impossible", () => {
    const e = errorAfter((r) => {
      r.marginals.age = { dist: "uniform", min: 10, max: 40, source: "assumption" };
    });
    expect(e.reason).toMatch(/age cannot be below 14/);
  });

  test("a share outside [0, 1]", () => {
    const e = errorAfter((r) => {
      r.marginals.senior_share = { dist: "triangular", min: 0, mode: 0.5, max: 1.5, source: "assumption" };
    });
    expect(e.reason).toMatch(/senior_share cannot exceed 1/);
  });

  test("a probability above 1 and a curve going backwards", () => {
    expect(errorAfter((r) => (r.marginals.chinese = { p: 1.2, source: "assumption" })).path).toBe(
      "marginals.chinese.p",
    );
    const e = errorAfter((r) => {
      r.marginals.spouse_accompanying = {
        p: {
          by: "age",
          points: [
            [30, 0.5],
            [25, 0.2],
          ],
        },
        source: "assumption",
      };
    });
    expect(e.path).toBe("marginals.spouse_accompanying.p.points[1]");
  });

  test("a conditional on a missing parent, with the closest parent", () => {
    const e = errorAfter((r) => {
      (r.conditionals.chinese as { given: string }).given = "regoin";
    });
    expect(e.path).toBe("conditionals.chinese.given");
    expect(e.suggestion).toBe("region");
  });

  test("a conditional on a parent value that is not one of its categories", () => {
    const e = errorAfter((r) => {
      const cases = (r.conditionals.chinese as { cases: Record<string, unknown> }).cases;
      cases.mainlnd = cases.mainland;
      delete cases.mainland;
    });
    expect(e.path).toBe("conditionals.chinese.cases.mainlnd");
    expect(e.reason).toMatch(/not a category of region/);
    expect(e.suggestion).toBe("mainland");
  });

  test("a conditional on a parent drawn later", () => {
    const e = errorAfter((r) => {
      r.conditionals.region = { given: "sector", cases: {} };
    });
    expect(e.path).toBe("conditionals.region.given");
    expect(e.reason).toMatch(/drawn after 'region'/);
  });

  test("a conditional on a numeric parent", () => {
    const e = errorAfter((r) => {
      r.conditionals.english = { given: "age", cases: {} };
    });
    expect(e.reason).toMatch(/not categorical/);
  });

  test("a fixed category key that does not exist", () => {
    const e = errorAfter((r) => {
      r.marginals.highest_degree = { weights: { bachelor: 1, masters: 1 }, source: "assumption" };
    });
    expect(e.path).toBe("marginals.highest_degree.weights.masters");
    expect(e.suggestion).toBe("master");
  });

  test("a source that is neither a URL, an assumption nor a named source", () => {
    const e = errorAfter((r) => {
      r.marginals.sex = { weights: { M: 7, F: 3 }, source: "stats2012" };
    });
    expect(e.path).toBe("marginals.sex.source");
    expect(e.suggestion).toBe("stats2021");
  });

  test("a required variable that is missing", () => {
    const e = errorAfter((r) => {
      delete r.marginals.english;
      delete r.conditionals.english;
    });
    expect(e.path).toBe("marginals.english");
    expect(e.reason).toMatch(/required/);
  });

  test("a period that ends before it starts", () => {
    const e = errorAfter((r) => {
      r.period = { from: "2021-12-31", to: "2021-01-01" };
    });
    expect(e.path).toBe("period");
  });

  test("a calibration target on a column that does not exist", () => {
    const e = errorAfter((r) => {
      (r.calibration as { targets: unknown[] }).targets.push({
        column: "regoin",
        value: "x",
        share: 0.5,
        source: "assumption",
      });
    });
    expect(e.path).toBe("calibration.targets[6].column");
    expect(e.suggestion).toBe("region");
  });

  test("several problems are reported together", () => {
    const raw = rawSpec("qmas-2021");
    raw.marginals.sex = { weights: { M: 0 }, source: "assumption" };
    raw.marginals.chinese = { p: 2, source: "assumption" };
    const errors = specErrors(() => parseDistributionSpec(raw, "bad.yaml"));
    expect(errors.map((e) => e.path)).toEqual(["marginals.sex.weights", "marginals.chinese.p"]);
    expect(errors[0]!.format()).toBe(
      "bad.yaml: marginals.sex.weights: weights must sum to a positive number (sum is 0)",
    );
  });
});
