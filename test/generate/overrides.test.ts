import { describe, expect, test } from "vitest";
import type { CategoricalDist, NumericDist } from "../../src/applicants/generate/index.js";
import {
  applySpecOverrides,
  generatePool,
  loadDistributionSpec,
  parseKeyPath,
} from "../../src/applicants/generate/index.js";
import { specErrors } from "./helpers.js";

const base = loadDistributionSpec("qmas-2021");
const sectorWeights = (s: typeof base) => (s.marginals.sector as CategoricalDist).weights;
const shareOf = (w: Record<string, number>, k: string) =>
  (w[k] ?? 0) / Object.values(w).reduce((a, b) => a + b, 0);

describe("applySpecOverrides", () => {
  test("+10 pp to a category; the others keep their proportions", () => {
    const out = applySpecOverrides(base, { "marginals.sector.weights.healthcare": { add: 0.1 } });
    const before = sectorWeights(base);
    const after = sectorWeights(out);
    expect(shareOf(after, "healthcare")).toBeCloseTo(shareOf(before, "healthcare") + 0.1, 12);
    const ratio = shareOf(after, "it_telecom") / shareOf(after, "finance_accounting");
    expect(ratio).toBeCloseTo(shareOf(before, "it_telecom") / shareOf(before, "finance_accounting"), 12);
    expect(Object.values(after).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // the input spec is untouched
    expect(sectorWeights(base).healthcare).toBe(0.05);
  });

  test("string shorthands equal the object forms", () => {
    const a = applySpecOverrides(base, { "marginals.sector.weights.healthcare": "+0.1" });
    const b = applySpecOverrides(base, { "marginals.sector.weights.healthcare": { add: 0.1 } });
    expect(sectorWeights(a)).toEqual(sectorWeights(b));
    const scaled = applySpecOverrides(base, { "marginals.sector.weights.it_telecom": "*2" });
    expect(shareOf(sectorWeights(scaled), "it_telecom")).toBeCloseTo(
      2 * shareOf(sectorWeights(base), "it_telecom"),
      12,
    );
    const set = applySpecOverrides(base, { "marginals.region.weights.mainland": "=0.8" });
    expect(shareOf((set.marginals.region as CategoricalDist).weights, "mainland")).toBeCloseTo(0.8, 12);
  });

  test("a new category can be added with a share", () => {
    const out = applySpecOverrides(base, { "marginals.sector.weights.education": { add: 0.05 } });
    expect(shareOf(sectorWeights(out), "education")).toBeCloseTo(0.05, 12);
  });

  test("numbers are added, scaled or set; whole distributions replaced; arrays indexed", () => {
    const out = applySpecOverrides(base, {
      "marginals.experience_noise.mean": { add: 1 },
      "marginals.age.bins[4].weight": { scale: 2 },
      "conditionals.english.cases.mainland.p": 0.9,
      "marginals.has_business": { p: 0.2, source: "assumption" },
      "applied_on.monthly[0]": 3,
    });
    expect((out.marginals.experience_noise as Extract<NumericDist, { dist: "normal" }>).mean).toBe(0.5);
    expect((out.marginals.age as Extract<NumericDist, { dist: "histogram" }>).bins[4]!.weight).toBe(22);
    expect(out.conditionals.english!.cases.mainland).toEqual({ p: 0.9, source: "assumption" });
    expect(out.marginals.has_business).toEqual({ p: 0.2, source: "assumption" });
    expect(out.applied_on!.monthly[0]).toBe(3);
  });

  test("the generated pool shows the override, and other variables keep their draws", () => {
    const out = applySpecOverrides(base, { "marginals.sector.weights.healthcare": { add: 0.1 } });
    const a = generatePool(base, { count: 50_000, seed: 5 });
    const b = generatePool(out, { count: 50_000, seed: 5 });
    const hc = b.dictionaries.sector.indexOf("healthcare");
    let n = 0;
    for (let i = 0; i < b.size; i++) if (b.columns.sector[i] === hc) n++;
    expect(Math.abs(n / b.size - shareOf(sectorWeights(out), "healthcare"))).toBeLessThan(0.01);
    // common random numbers: age, sex and region are drawn before sector and do not move
    expect(b.columns.age).toEqual(a.columns.age);
    expect(b.columns.region).toEqual(a.columns.region);
    expect(b.columns.applied_on).toEqual(a.columns.applied_on);
  });

  test("key paths parse with indices", () => {
    expect(parseKeyPath("marginals.age.bins[4].weight")).toEqual(["marginals", "age", "bins", 4, "weight"]);
    expect(parseKeyPath("a..b")).toBeUndefined();
  });
});

describe("override errors name the overrides, the key path and the reason", () => {
  test("a path that does not exist, with the closest key", () => {
    const [e] = specErrors(() =>
      applySpecOverrides(base, { "marginals.sectr.weights.healthcare": "+0.1" }, "scenario.yaml"),
    );
    expect(e!.file).toBe("scenario.yaml");
    expect(e!.path).toBe("marginals.sectr.weights.healthcare");
    expect(e!.suggestion).toBe("sector");
  });

  test("a share pushed outside [0, 1]", () => {
    const [e] = specErrors(() =>
      applySpecOverrides(base, { "marginals.sector.weights.healthcare": { add: 0.99 } }, "s.yaml"),
    );
    expect(e!.reason).toMatch(/outside \[0, 1\]/);
  });

  test("arithmetic on something that is not a number", () => {
    const [e] = specErrors(() => applySpecOverrides(base, { "marginals.age.dist": { add: 1 } }, "s.yaml"));
    expect(e!.reason).toMatch(/add needs a number/);
  });

  test("a result that is not a valid spec", () => {
    const [e] = specErrors(() => applySpecOverrides(base, { "marginals.chinese.p": 1.5 }, "s.yaml"));
    expect(e!.file).toBe("s.yaml (overriding data/distributions/qmas-2021.yaml)");
    expect(e!.path).toBe("marginals.chinese.p");
  });
});
