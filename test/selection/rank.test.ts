import { describe, expect, test } from "vitest";
import { createRng } from "../../src/random.js";
import { buildCommittee, runExercise } from "../../src/selection/exercise.js";
import { carryOver, isExerciseQuarter, perYearOn, splitYearly } from "../../src/selection/quota.js";
import { countingSort, rankCandidates } from "../../src/selection/rank.js";

const cols = {
  //            0    1    2    3    4    5
  total: Int16Array.from([100, 120, 100, 225, 100, 90]),
  route: Uint8Array.from([0, 0, 0, 1, 0, 0]),
  appliedOn: Int32Array.from([50, 40, 30, 60, 30, 10]),
};
const all = Int32Array.from([0, 1, 2, 3, 4, 5]);

describe("rankCandidates", () => {
  test("APT first, then score descending, then applied_on, then application number for id", () => {
    expect(Array.from(rankCandidates(all, cols, ["applied_on", "id"], true, null))).toEqual([
      3, 1, 2, 4, 0, 5,
    ]);
  });
  test("without apt_first the APT pass ranks by its score", () => {
    const c = { ...cols, total: Int16Array.from([100, 230, 100, 225, 100, 90]) };
    expect(Array.from(rankCandidates(all, c, ["applied_on", "id"], false, null))).toEqual([1, 3, 2, 4, 0, 5]);
  });
  test("id ranks from idRank when ids do not sort like numbers", () => {
    const idRank = Int32Array.from([5, 4, 3, 2, 1, 0]);
    expect(Array.from(rankCandidates(all, { ...cols, idRank }, ["id"], true, null))).toEqual([
      3, 1, 4, 2, 0, 5,
    ]);
  });
  test("compareIds sorts only the tied runs, by id text", () => {
    const ids = ["f", "e", "d", "c", "b", "a"];
    const compareIds = (a: number, b: number) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);
    // 2 and 4: same score and day → by id (b before d); 0 is the same score on a later day
    expect(
      Array.from(rankCandidates(all, { ...cols, compareIds }, ["applied_on", "id"], true, null)),
    ).toEqual([3, 1, 4, 2, 0, 5]);
    // without the day key: 0, 2, 4 tie on score → b, d, f
    expect(Array.from(rankCandidates(all, { ...cols, compareIds }, ["id"], true, null))).toEqual([
      3, 1, 4, 2, 0, 5,
    ]);
    const c2 = { ...cols, appliedOn: Int32Array.from([30, 40, 30, 60, 30, 10]), compareIds };
    expect(Array.from(rankCandidates(all, c2, ["applied_on", "id"], true, null))).toEqual([3, 1, 4, 2, 0, 5]);
    const c3 = { ...cols, appliedOn: Int32Array.from([20, 40, 30, 60, 30, 10]), compareIds };
    expect(Array.from(rankCandidates(all, c3, ["applied_on", "id"], true, null))).toEqual([3, 1, 0, 4, 2, 5]);
  });

  test("a lottery orders ties by a seeded shuffle; keys after it are ignored", () => {
    const ties = {
      total: new Int16Array(50).fill(100),
      route: new Uint8Array(50),
      appliedOn: new Int32Array(50),
    };
    const cands = Int32Array.from({ length: 50 }, (_, i) => i);
    const a = rankCandidates(cands, ties, ["lottery", "id"], true, createRng("x"));
    const b = rankCandidates(cands, ties, ["lottery"], true, createRng("x"));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(cands));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from(cands));
  });
  test("the input order does not matter", () => {
    const shuffled = Int32Array.from([5, 3, 0, 4, 1, 2]);
    expect(Array.from(rankCandidates(shuffled, cols, ["applied_on", "id"], true, null))).toEqual([
      3, 1, 2, 4, 0, 5,
    ]);
  });
  test("countingSort is stable", () => {
    expect(
      Array.from(countingSort(Int32Array.from([10, 11, 12, 13]), Int32Array.from([1, 0, 1, 0]), 2)),
    ).toEqual([11, 13, 10, 12]);
  });
  test("countingSort reuses its bucket counts without carrying counts from one sort into the next", () => {
    // a wide sort leaves counts in the kept buckets; narrower and wider sorts after it, and one wider
    // than what is kept (a fresh array), must each match a stable sort of their own keys
    const rng = createRng("counting-sort");
    for (const range of [40_000, 3, 40_000, 1, 100_000, (1 << 20) + 5, 7]) {
      const n = 2_000;
      const order = Int32Array.from({ length: n }, (_, i) => 1_000 + i);
      const keys = Int32Array.from({ length: n }, () => Math.floor(rng.next() * range));
      const expected = Array.from(order).sort((a, b) => keys[a - 1_000]! - keys[b - 1_000]! || a - b);
      expect(Array.from(countingSort(order, keys, range))).toEqual(expected);
    }
  });
});

describe("quota schedule", () => {
  test("exercise quarters: 4/yr every quarter, 2/yr Q2 and Q4, 1/yr Q4", () => {
    const qs = [0, 1, 2, 3].map((q) => 2019 * 4 + q);
    expect(qs.map((q) => isExerciseQuarter(q, 4))).toEqual([true, true, true, true]);
    expect(qs.map((q) => isExerciseQuarter(q, 2))).toEqual([false, true, false, true]);
    expect(qs.map((q) => isExerciseQuarter(q, 1))).toEqual([false, false, false, true]);
  });
  test("yearly quota in force on a day follows the dated changes (2020-11-26: 1,000 → 2,000)", () => {
    const cfg = {
      per_year: 1000,
      changes: [
        { from: "2020-11-26", per_year: 2000 },
        { from: "2023-01-01", per_year: "unlimited" as const },
      ],
    };
    expect(perYearOn(cfg, Date.UTC(2020, 10, 25) / 864e5)).toBe(1000);
    expect(perYearOn(cfg, Date.UTC(2020, 10, 26) / 864e5)).toBe(2000);
    expect(perYearOn(cfg, Date.UTC(2023, 2, 31) / 864e5)).toBe(Number.POSITIVE_INFINITY);
  });
  test("split evenly, remainder to the earliest exercises", () => {
    expect([0, 1, 2, 3].map((i) => splitYearly(1000, 4, i))).toEqual([250, 250, 250, 250]);
    expect([0, 1, 2].map((i) => splitYearly(1001, 3, i))).toEqual([334, 334, 333]);
  });
  test("carry-over modes", () => {
    const q4 = 2019 * 4 + 3;
    expect(carryOver("lapse", 5, q4 - 1, q4)).toBe(0);
    expect(carryOver("carry_within_year", 5, q4 - 1, q4)).toBe(5);
    expect(carryOver("carry_within_year", 5, q4, q4 + 1)).toBe(0);
    expect(carryOver("carry_forward", 5, q4, q4 + 1)).toBe(5);
    expect(carryOver("carry_forward", 5, q4, undefined)).toBe(0);
  });
});

describe("runExercise with the committee", () => {
  const c = { ...cols, sector: Uint16Array.from([0, 0, 1, 1, 0, 0]) };
  test("caps by sector code and approval by band", () => {
    const committee = buildCommittee(
      { sector_shares: {}, sector_caps: { finance: 1 }, approval: [], apt_approval: 1 },
      ["finance", "it"],
    );
    const out = runExercise(c, {
      candidates: all,
      quota: 3,
      tieBreak: ["applied_on", "id"],
      aptFirst: true,
      lottery: null,
      committee,
      committeeRng: createRng("c"),
    });
    // order 3(it) 1(fin) 2(it) 4(fin) 0(fin) 5(fin): finance capped at 1
    expect(Array.from(out.order)).toEqual([3, 1, 2, 4, 0, 5]);
    expect(Array.from(out.allotted)).toEqual([1, 1, 1, 0, 0, 0]);
    const none = buildCommittee(
      { sector_shares: {}, sector_caps: {}, approval: [{ from: 0, probability: 0 }], apt_approval: 0 },
      ["finance", "it"],
    );
    const out2 = runExercise(c, {
      candidates: all,
      quota: 3,
      tieBreak: ["id"],
      aptFirst: true,
      lottery: null,
      committee: none,
      committeeRng: createRng("c"),
    });
    expect(out2.allottedCount).toBe(0);
  });
});
