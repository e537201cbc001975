import { describe, expect, test } from "vitest";
import { generatePool, loadDistributionSpec } from "../../src/applicants/generate/index.js";
import { scorePool } from "../../src/rules/batch.js";
import { loadRuleBook } from "../../src/rules/load.js";
import { scoreGpt } from "./gpt-scorer.js";

/**
 * The calibration relies on the throwaway scorer of gpt-scorer.ts; the rules engine (data/rules) must
 * agree with it on generated pools, so the documented calibration holds for `qmas-sim score` too.
 */
describe.each([
  ["qmas-2021", "qmas-gpt-2018", 2018],
  ["qmas-2006", "qmas-gpt-2006", 2006],
  ["qmas-2023", "qmas-gpt-2023", 2023],
] as const)("%s scored by the rules engine with %s", (specId, ruleSet, version) => {
  test("agrees with the calibration scorer on 20,000 generated applicants", () => {
    const book = loadRuleBook();
    const pool = generatePool(loadDistributionSpec(specId), { count: 20_000, seed: "agreement" });
    const engine = scorePool(pool, book, { rules: ruleSet });
    const mine = scoreGpt(pool, version);
    let mismatches = 0;
    let first = -1;
    for (let i = 0; i < pool.size; i++) {
      const theirs = engine.eligible[i] ? engine.total[i]! : -1;
      if (theirs !== mine[i]) {
        mismatches++;
        if (first < 0) first = i;
      }
    }
    expect(
      mismatches,
      first < 0
        ? ""
        : `first at ${first}: engine ${engine.eligible[first] ? engine.total[first] : "ineligible"}, calibration ${mine[first]}`,
    ).toBe(0);
  });
});
