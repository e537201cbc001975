import { describe, expect, test } from "vitest";
import { summarizeRun } from "../../src/simulation/metrics.js";
import { DECISIONS, type RunResult, simulate } from "../../src/simulation/timeline.js";
import { byRow, makeApps, makePolicy, quota, type TestApp } from "./helpers.js";

const decisions = (r: RunResult) => byRow(r.apps, r.decision).map((d) => DECISIONS[d]);
const allottedIds = (r: RunResult) =>
  Array.from({ length: r.apps.size }, (_, g) => g)
    .filter((g) => r.decision[g] === 1)
    .map((g) => r.apps.idOf(g));

describe("one exercise", () => {
  test("allots the quota to the highest scores; every application gets exactly one decision", () => {
    const apps = makeApps([
      { applied_on: "2019-01-10", total: 120 },
      { applied_on: "2019-01-11", total: 95 },
      { applied_on: "2019-01-12", total: 150 },
      { applied_on: "2019-01-13", total: 70 },
      { applied_on: "2019-01-14", total: 130, eligible: false },
      { applied_on: "2019-02-01", total: 100 },
    ]);
    // 8 a year over 4 exercises = 2 per quarter
    const r = simulate(apps, makePolicy({ quarters: 1, quota: quota(8) }), 1);
    expect(decisions(r)).toEqual([
      "allotted",
      "not_selected",
      "allotted",
      "refused_below_pass_mark",
      "refused_prerequisites",
      "not_selected",
    ]);
    expect(byRow(r.apps, r.rank)).toEqual([2, 4, 1, 0, 0, 3]);
    // decided at the end of 2019Q1 (2019-03-31): 80 days after 2019-01-10
    expect(byRow(r.apps, r.waitDays)[0]).toBe(80);
    expect(r.rounds[0]).toMatchObject({
      arrivals: 6,
      assessed: 6,
      passed: 4,
      candidates: 4,
      quota: 2,
      allotted: 2,
      cutoff_score: 120,
      median_allotted_score: 135,
      not_selected: 2,
      unused_quota: 0,
    });
  });

  test("ties: earlier applied_on first, then id", () => {
    const apps = makeApps([
      { id: "B", applied_on: "2019-01-05", total: 100 },
      { id: "A", applied_on: "2019-01-05", total: 100 },
      { id: "C", applied_on: "2019-01-04", total: 100 },
    ]);
    const r = simulate(apps, makePolicy({ quarters: 1, quota: quota(8), tieBreak: ["applied_on", "id"] }), 1);
    expect(byRow(r.apps, r.rank)).toEqual([3, 2, 1]);
    expect(allottedIds(r).sort()).toEqual(["A", "C"]);
  });

  test("id before applied_on when listed first", () => {
    const apps = makeApps([
      { id: "B", applied_on: "2019-01-01", total: 100 },
      { id: "A", applied_on: "2019-03-01", total: 100 },
    ]);
    const r = simulate(apps, makePolicy({ quarters: 1, quota: quota(4), tieBreak: ["id", "applied_on"] }), 1);
    expect(allottedIds(r)).toEqual(["A"]);
  });

  test("a lottery breaks ties reproducibly from the seed, and differently for other seeds", () => {
    const rows: TestApp[] = Array.from({ length: 40 }, () => ({ applied_on: "2019-01-05", total: 100 }));
    const run = (seed: number) =>
      allottedIds(simulate(makeApps(rows), makePolicy({ quarters: 1, quota: quota(20) }), seed));
    expect(run(7)).toEqual(run(7));
    expect(run(7)).toHaveLength(5);
    const other = [8, 9, 10, 11].map(run);
    expect(other.some((ids) => ids.join() !== run(7).join())).toBe(true);
  });

  test("APT passes go first by default, by score when apt_first is off", () => {
    const rows: TestApp[] = [
      { applied_on: "2019-01-05", total: 150 },
      { applied_on: "2019-01-06", total: 100, route: "apt" },
    ];
    expect(decisions(simulate(makeApps(rows), makePolicy({ quarters: 1, quota: quota(4) }), 1))).toEqual([
      "not_selected",
      "allotted",
    ]);
    expect(
      decisions(simulate(makeApps(rows), makePolicy({ quarters: 1, quota: quota(4), aptFirst: false }), 1)),
    ).toEqual(["allotted", "not_selected"]);
  });

  test("unlimited quota allots every pass", () => {
    const apps = makeApps([
      { applied_on: "2019-01-05", total: 150 },
      { applied_on: "2019-01-06", total: 81 },
      { applied_on: "2019-01-06", total: 79 },
    ]);
    const r = simulate(apps, makePolicy({ quarters: 1, quota: quota("unlimited") }), 1);
    expect(decisions(r)).toEqual(["allotted", "allotted", "refused_below_pass_mark"]);
    expect(r.rounds[0]!.quota).toBe(Number.POSITIVE_INFINITY);
    expect(r.rounds[0]!.unused_quota).toBeNaN();
  });
});

/** n passing applications on a date, scores descending from 200. */
const batch = (date: string, n: number, base = 200): TestApp[] =>
  Array.from({ length: n }, (_, i) => ({ applied_on: date, total: base - i }));

describe("quota over time", () => {
  test("a dated change applies from the first exercise ending on or after it", () => {
    const rows = ["2019-02-01", "2019-05-01", "2019-08-01", "2019-11-01"].flatMap((d) => batch(d, 5));
    const r = simulate(
      makeApps(rows),
      makePolicy({ quota: quota(4, [{ from: "2019-08-15", per_year: 8 }]) }),
      1,
    );
    expect(r.rounds.map((m) => m.quota)).toEqual([1, 1, 2, 2]);
    expect(r.rounds.map((m) => m.allotted)).toEqual([1, 1, 2, 2]);
  });

  test("a yearly quota that does not divide evenly gives the remainder to the earliest exercises", () => {
    const rows = ["2019-02-01", "2019-05-01", "2019-08-01", "2019-11-01"].flatMap((d) => batch(d, 5));
    const r = simulate(makeApps(rows), makePolicy({ quota: quota(10) }), 1);
    expect(r.rounds.map((m) => m.quota)).toEqual([3, 3, 2, 2]);
  });

  test("per-exercise quotas", () => {
    const rows = ["2019-02-01", "2019-05-01"].flatMap((d) => batch(d, 5));
    const r = simulate(
      makeApps(rows),
      makePolicy({ quarters: 2, quota: { per_exercise: [3, 1], changes: [] } }),
      1,
    );
    expect(r.rounds.map((m) => m.allotted)).toEqual([3, 1]);
  });

  const emptyFirst = [...batch("2019-05-01", 6)];
  test("unused quota lapses by default", () => {
    const r = simulate(makeApps(emptyFirst), makePolicy({ quarters: 2, quota: quota(8) }), 1);
    expect(r.rounds.map((m) => [m.allotted, m.unused_quota, m.carried_over])).toEqual([
      [0, 2, 0],
      [2, 0, 0],
    ]);
  });
  test("carry_within_year adds unused places to the next exercise of the same year only", () => {
    const r = simulate(
      makeApps(emptyFirst),
      makePolicy({ quarters: 2, quota: quota(8), unusedQuota: "carry_within_year" }),
      1,
    );
    expect(r.rounds.map((m) => [m.carried_in, m.allotted])).toEqual([
      [0, 0],
      [2, 4],
    ]);
    const acrossYear = batch("2020-02-01", 6);
    const r2 = simulate(
      makeApps(acrossYear),
      makePolicy({
        firstQuarter: 2019 * 4 + 3,
        quarters: 2,
        quota: quota(8),
        unusedQuota: "carry_within_year",
      }),
      1,
    );
    expect(r2.rounds.map((m) => m.allotted)).toEqual([0, 2]);
    const r3 = simulate(
      makeApps(acrossYear),
      makePolicy({ firstQuarter: 2019 * 4 + 3, quarters: 2, quota: quota(8), unusedQuota: "carry_forward" }),
      1,
    );
    expect(r3.rounds.map((m) => m.allotted)).toEqual([0, 4]);
  });

  test("two exercises a year: Q2 and Q4; passes wait in the pool until then", () => {
    const rows = [...batch("2019-02-01", 3), ...batch("2019-08-01", 3)];
    const r = simulate(makeApps(rows), makePolicy({ quota: quota(4), exercisesPerYear: 2 }), 1);
    expect(r.rounds.map((m) => m.exercise)).toEqual([false, true, false, true]);
    expect(r.rounds.map((m) => m.allotted)).toEqual([0, 2, 0, 2]);
    expect(byRow(r.apps, r.decisionQuarter)[0]).toBe(1);
  });
});

describe("queue, pool and withdrawals", () => {
  test("assessment capacity: oldest first, the rest wait as backlog", () => {
    const rows: TestApp[] = [
      { applied_on: "2019-03-05", total: 100 },
      { applied_on: "2019-01-05", total: 100 },
      { applied_on: "2019-02-05", total: 100 },
      { applied_on: "2019-03-01", total: 100 },
      { applied_on: "2019-01-20", total: 100 },
    ];
    const r = simulate(
      makeApps(rows),
      makePolicy({ quarters: 3, quota: quota("unlimited"), assessmentCapacity: 2 }),
      1,
    );
    expect(r.rounds.map((m) => [m.arrivals, m.assessed, m.backlog])).toEqual([
      [5, 2, 3],
      [0, 2, 1],
      [0, 1, 0],
    ]);
    expect(byRow(r.apps, r.assessmentQuarter)).toEqual([2, 0, 1, 1, 0]);
  });

  test("pool_rounds keeps a pass for that many exercises before refusing it", () => {
    const rows: TestApp[] = [...batch("2019-02-01", 3), { applied_on: "2019-05-01", total: 250 }];
    const r = simulate(makeApps(rows), makePolicy({ quarters: 3, quota: quota(4), poolRounds: 2 }), 1);
    expect(decisions(r)).toEqual(["allotted", "not_selected", "not_selected", "allotted"]);
    expect(byRow(r.apps, r.decisionQuarter)).toEqual([0, 1, 1, 1]);
    const once = simulate(makeApps(rows), makePolicy({ quarters: 3, quota: quota(4) }), 1);
    expect(byRow(once.apps, once.decisionQuarter)).toEqual([0, 0, 0, 1]);
  });

  test("withdrawal: certain withdrawal empties the backlog after one quarter of waiting", () => {
    const rows = batch("2019-01-10", 4);
    const r = simulate(
      makeApps(rows),
      makePolicy({ quarters: 2, quota: quota("unlimited"), assessmentCapacity: 1, withdrawalPerQuarter: 1 }),
      1,
    );
    expect(decisions(r)).toEqual(["allotted", "withdrawn", "withdrawn", "withdrawn"]);
    expect(r.rounds.map((m) => m.withdrawn)).toEqual([0, 3]);
  });

  test("withdrawal draws are seeded: same seed, same withdrawals; every application ends in one state", () => {
    const rows = ["2019-01-10", "2019-04-10", "2019-07-10"].flatMap((d) => batch(d, 30));
    const policy = makePolicy({
      quota: quota(20),
      assessmentCapacity: 10,
      poolRounds: 3,
      withdrawalPerQuarter: 0.3,
    });
    const a = simulate(makeApps(rows), policy, "s");
    const b = simulate(makeApps(rows), policy, "s");
    expect(Array.from(a.decision)).toEqual(Array.from(b.decision));
    const s = summarizeRun(a);
    expect(s.withdrawn).toBeGreaterThan(0);
    expect(
      s.allotted +
        s.withdrawn +
        s.not_selected +
        s.pending +
        s.refused_below_pass_mark +
        s.refused_prerequisites,
    ).toBe(90);
    expect(a.rounds.reduce((x, m) => x + m.withdrawn, 0)).toBe(s.withdrawn);
  });

  test("applications before the run join its first quarter; after it they stay pending", () => {
    const rows: TestApp[] = [
      { applied_on: "2018-11-01", total: 100 },
      { applied_on: "2019-02-01", total: 100 },
      { applied_on: "2019-07-01", total: 100 },
    ];
    const r = simulate(makeApps(rows), makePolicy({ quarters: 1, quota: quota("unlimited") }), 1);
    expect(decisions(r)).toEqual(["allotted", "allotted", "pending"]);
    expect(byRow(r.apps, r.arrivalQuarter)).toEqual([0, 0, 2]);
    expect(byRow(r.apps, r.waitDays)[2]).toBe(-1);
  });

  test("persons admitted = principal + accompanying spouse + children under 18", () => {
    const rows: TestApp[] = [
      { applied_on: "2019-01-05", total: 150, spouse: true, children: 2 },
      { applied_on: "2019-01-05", total: 140, children: 1 },
      { applied_on: "2019-01-05", total: 90, spouse: true },
    ];
    const r = simulate(makeApps(rows), makePolicy({ quarters: 1, quota: quota(8) }), 1);
    expect(r.rounds[0]!.persons_admitted).toBe(4 + 2);
    expect(summarizeRun(r).persons_admitted).toBe(6);
  });
});

describe("committee model", () => {
  const committee = (over: Partial<NonNullable<ReturnType<typeof makePolicy>["committee"]>>) => ({
    sector_shares: {},
    sector_caps: {},
    approval: [],
    apt_approval: 1,
    ...over,
  });
  const rows: TestApp[] = [
    { applied_on: "2019-01-05", total: 200, sector: "finance" },
    { applied_on: "2019-01-05", total: 190, sector: "finance" },
    { applied_on: "2019-01-05", total: 180, sector: "finance" },
    { applied_on: "2019-01-05", total: 100, sector: "it" },
  ];
  test("a sector cap passes over higher scores from a full sector", () => {
    const r = simulate(
      makeApps(rows),
      makePolicy({ quarters: 1, quota: quota(12), committee: committee({ sector_caps: { finance: 1 } }) }),
      1,
    );
    expect(decisions(r)).toEqual(["allotted", "not_selected", "not_selected", "allotted"]);
  });
  test("a sector share limits a sector to floor(share × quota)", () => {
    const r = simulate(
      makeApps(rows),
      makePolicy({
        quarters: 1,
        quota: quota(12),
        committee: committee({ sector_shares: { finance: 0.67 } }),
      }),
      1,
    );
    expect(decisions(r)).toEqual(["allotted", "allotted", "not_selected", "allotted"]);
  });
  test("approval probability 0 in a band: nobody in it is allotted, places go further down", () => {
    const r = simulate(
      makeApps(rows),
      makePolicy({
        quarters: 1,
        quota: quota(8),
        committee: committee({ approval: [{ from: 185, probability: 0 }] }),
      }),
      1,
    );
    expect(decisions(r)).toEqual(["not_selected", "not_selected", "allotted", "allotted"]);
  });
  test("with no quota (the 2024 panel), approval decides alone, reproducibly", () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      applied_on: "2019-01-05",
      total: 6 + (i % 7),
      passed: true,
    }));
    const policy = makePolicy({
      quarters: 1,
      quota: quota("unlimited"),
      committee: committee({ approval: [{ from: 6, to: 9, probability: 0.5 }] }),
    });
    const a = simulate(makeApps(many), policy, 3);
    expect(Array.from(a.decision)).toEqual(Array.from(simulate(makeApps(many), policy, 3).decision));
    // scores 9..12 always approved (no band: probability 1), 6..8 about half
    const high = many.filter((m) => m.total >= 9).length;
    const allotted = summarizeRun(a).allotted;
    expect(allotted).toBeGreaterThan(high + 20);
    expect(allotted).toBeLessThan(200 - 20);
  });
});
