import { describe, expect, test } from "vitest";
import { generatePool, loadDistributionSpec } from "../../src/applicants/generate/index.js";
import { scoreGpt, selectTop } from "./gpt-scorer.js";
import { describeTarget, shareMeeting } from "./targets.js";

/**
 * The specs document which published shares their allotted slice reproduces (calibration.targets);
 * these tests rank a generated pool with an independent 2006/2018/2023 GPT scorer, take the documented top
 * share and check each target within 3 percentage points.
 */
const N = 100_000;

describe.each([
  ["qmas-2021", 2018],
  ["qmas-2006", 2006],
  ["qmas-2011", 2018],
  ["qmas-2023", 2023],
] as const)("calibration of %s", (id, version) => {
  const spec = loadDistributionSpec(id);
  const pool = generatePool(spec, { count: N, seed: "calibration" });
  const scores = scoreGpt(pool, version);
  const selected = selectTop(scores, spec.calibration!.selected_share);
  const covered =
    spec.calibration!.targets_cover === "gpt"
      ? selected.filter((i) => pool.columns.achievement[i] === 0)
      : selected;

  test("the selected slice is as large as documented", () => {
    expect(selected.length).toBe(Math.round(spec.calibration!.selected_share * N));
  });

  for (const target of spec.calibration!.targets) {
    test(`allotted share of ${describeTarget(target)} ≈ ${target.share}`, () => {
      const share = shareMeeting(pool, target, covered);
      console.log(
        `${id} ${describeTarget(target)}: applicants ${shareMeeting(pool, target).toFixed(3)} → allotted ${share.toFixed(3)} (target ${target.share})`,
      );
      expect(Math.abs(share - target.share)).toBeLessThanOrEqual(0.03);
    });
  }

  test("typical applicant scores fall in the documented range", () => {
    const ts = spec.calibration!.typical_score!;
    const valid = Array.from(scores)
      .filter((s) => s >= 0)
      .sort((a, b) => a - b);
    const q = (p: number) => valid[Math.floor(p * (valid.length - 1))]!;
    const cut = scores[selected[selected.length - 1]!]!;
    console.log(
      `${id}: scores p10 ${q(0.1)} p25 ${q(0.25)} median ${q(0.5)} p75 ${q(0.75)} p90 ${q(0.9)}; selection cut-off ${cut}; failed prerequisites ${(1 - valid.length / N).toFixed(3)}`,
    );
    expect(q(0.25)).toBeGreaterThanOrEqual(ts.from);
    expect(q(0.75)).toBeLessThanOrEqual(ts.to);
  });
});
