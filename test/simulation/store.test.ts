import { describe, expect, test } from "vitest";
import { poolFromApplicants } from "../../src/applicants/pool.js";
import { defaultApplicant } from "../../src/applicants/record.js";
import type { PoolScores } from "../../src/rules/types.js";
import { Applications, batchBuffers, prepareBatch } from "../../src/simulation/store.js";

function scoresFor(totals: number[], ruleSetIds = ["r"]): PoolScores {
  const n = totals.length;
  return {
    size: n,
    ruleSetIds,
    ruleSet: new Uint8Array(n),
    route: new Uint8Array(n),
    eligible: new Uint8Array(n).fill(1),
    failedPrerequisites: new Uint32Array(n),
    total: Int16Array.from(totals),
    passed: Uint8Array.from(totals, (t) => (t >= 80 ? 1 : 0)),
    factorIds: [],
    factorPoints: [],
  };
}

const rows = [
  { id: "A1", on: "2019-02-10", region: "europe", age: 30, spouse: true, children: 2 },
  { id: "A2", on: "2019-01-05", region: "mainland", age: 41, spouse: false, children: 0 },
  { id: "A3", on: "2019-02-10", region: "mainland", age: 52, spouse: false, children: 1 },
  { id: "A4", on: "2019-01-05", region: "asia", age: 25, spouse: true, children: 0 },
];
const pool = poolFromApplicants(
  rows.map((r) => ({
    ...defaultApplicant(r.id, r.on, r.age),
    region: r.region,
    spouse_accompanying: r.spouse,
    children_under_18: r.children,
  })),
);

describe("prepareBatch", () => {
  const batch = prepareBatch(pool, scoresFor([90, 85, 70, 100]));

  test("orders rows by applied_on, ties in input order, and keeps each row's values with it", () => {
    expect(Array.from(batch.row)).toEqual([1, 3, 0, 2]);
    expect(Array.from(batch.total)).toEqual([85, 100, 90, 70]);
    expect(Array.from(batch.passed)).toEqual([1, 1, 1, 0]);
    expect(Array.from(batch.persons)).toEqual([1, 2, 4, 2]);
    // age bands: 41 → 40-44 (2), 25 → 18-39 (1), 30 → 1, 52 → 51+ (4)
    expect(Array.from(batch.ageBand)).toEqual([2, 1, 1, 4]);
    expect(Array.from(batch.region, (c) => batch.regions[c])).toEqual([
      "mainland",
      "asia",
      "europe",
      "mainland",
    ]);
  });

  test("a batch already in date order is copied as it is", () => {
    const sorted = poolFromApplicants([rows[1]!, rows[3]!].map((r) => defaultApplicant(r.id, r.on, r.age)));
    const b = prepareBatch(sorted, scoresFor([1, 2]));
    expect(Array.from(b.row)).toEqual([0, 1]);
    expect(Array.from(b.total)).toEqual([1, 2]);
  });

  test("its buffers can be transferred (one per column, none shared with the pool)", () => {
    const buffers = batchBuffers(batch);
    expect(buffers.length).toBe(15);
    expect(buffers).not.toContain(pool.columns.applied_on.buffer);
  });
});

describe("Applications.append", () => {
  test("translates each batch's own codes for regions and rule sets into the store's", () => {
    const apps = new Applications(6);
    apps.append(prepareBatch(pool, scoresFor([90, 85, 70, 100], ["r"])));
    const later = poolFromApplicants([
      { ...defaultApplicant("B1", "2019-03-01", 30), region: "asia" },
      { ...defaultApplicant("B2", "2019-03-02", 30), region: "oceania" },
    ]);
    const s = scoresFor([81, 82], ["other", "r"]);
    s.ruleSet[1] = 1;
    expect(apps.append(prepareBatch(later, s))).toBe(4);
    expect(Array.from(apps.region.subarray(0, 6), (c) => apps.regions.values[c])).toEqual([
      "mainland",
      "asia",
      "europe",
      "mainland",
      "asia",
      "oceania",
    ]);
    expect(Array.from(apps.ruleSet.subarray(0, 6), (c) => apps.ruleSetIds[c])).toEqual([
      "r",
      "r",
      "r",
      "r",
      "other",
      "r",
    ]);
    expect([apps.idOf(0), apps.idOf(3), apps.idOf(5)]).toEqual(["A2", "A3", "B2"]);
  });

  test("refuses a batch dated before the last one, and more rows than its capacity", () => {
    const apps = new Applications(5);
    apps.append(prepareBatch(pool, scoresFor([90, 85, 70, 100])));
    const early = poolFromApplicants([defaultApplicant("C1", "2019-01-01", 30)]);
    expect(() => apps.append(prepareBatch(early, scoresFor([90])))).toThrow(/date order/);
    const two = poolFromApplicants([
      defaultApplicant("C1", "2019-05-01", 30),
      defaultApplicant("C2", "2019-05-01", 30),
    ]);
    expect(() => apps.append(prepareBatch(two, scoresFor([90, 90])))).toThrow(/sized for/);
  });
});
