import { describe, expect, test } from "vitest";
import { scenarioSchema } from "../../src/scenario/schema.js";
import {
  ALLOTTED,
  PENDING,
  type QuarterPolicy,
  type RunResult,
  simulate,
} from "../../src/simulation/timeline.js";
import { makeApps, makePolicy, quota, type TestApp } from "../simulation/helpers.js";

const SCALES = { "test-rules": { kind: "points" as const, pass: 80, max: 180 } };

/** n applications spread over the quarter starting `from`, scores 80..179 cycling. */
function apps(n: number, from = "2019-01-01", extra: Partial<TestApp> = {}): TestApp[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => ({
    applied_on: new Date(start + Math.floor((i * 80) / n) * 86_400_000).toISOString().slice(0, 10),
    total: 80 + (i % 100),
    ...extra,
  }));
}

const committee = (intercept: number, perRelativeScore = 0, sectors: Record<string, number> = {}) =>
  scenarioSchema.shape.committee.parse({
    standard: { intercept, per_relative_score: perRelativeScore, sectors },
  });

function allotted(r: RunResult): number {
  return r.rounds.reduce((s, m) => s + m.allotted, 0);
}

describe("the committee standard", () => {
  test("can leave places unfilled: with 400 candidates for 250 places, a strict standard allots fewer", () => {
    const r = simulate(
      makeApps(apps(400)),
      makePolicy({ quarters: 1, quota: quota(1000), committee: committee(-1), scales: SCALES }),
      7,
    );
    const m = r.rounds[0]!;
    expect(m.candidates).toBe(400);
    expect(m.quota).toBe(250);
    // sigmoid(-1) ≈ 0.27 of 400 ≈ 108: far below the 250 places, never above them
    expect(m.allotted).toBeGreaterThan(60);
    expect(m.allotted).toBeLessThan(160);
    expect(m.unused_quota).toBe(250 - m.allotted);
  });

  test("never allots more than the quota, however lenient", () => {
    const r = simulate(
      makeApps(apps(400)),
      makePolicy({ quarters: 1, quota: quota(1000), committee: committee(10), scales: SCALES }),
      7,
    );
    expect(r.rounds[0]!.allotted).toBe(250);
  });

  test("is deterministic for a seed and varies with it", () => {
    const policy = makePolicy({
      quarters: 1,
      quota: quota("unlimited"),
      committee: committee(0),
      scales: SCALES,
    });
    const a = simulate(makeApps(apps(500)), policy, "s1");
    const b = simulate(makeApps(apps(500)), policy, "s1");
    const c = simulate(makeApps(apps(500)), policy, "s2");
    expect(Array.from(a.decision)).toEqual(Array.from(b.decision));
    expect(Array.from(a.decision)).not.toEqual(Array.from(c.decision));
  });

  test("a higher score relative to the table raises the chance of approval, so a high score does not guarantee a place", () => {
    const r = simulate(
      makeApps(apps(2000)),
      makePolicy({ quarters: 1, quota: quota("unlimited"), committee: committee(-2, 4), scales: SCALES }),
      3,
    );
    let low = 0;
    let lowAllotted = 0;
    let high = 0;
    let highAllotted = 0;
    for (let g = 0; g < r.apps.size; g++) {
      const t = r.apps.total[g]!;
      if (t < 100) {
        low++;
        if (r.decision[g] === ALLOTTED) lowAllotted++;
      } else if (t >= 160) {
        high++;
        if (r.decision[g] === ALLOTTED) highAllotted++;
      }
    }
    // r ≈ 0.1 → sigmoid(-1.6) ≈ 0.17; r ≈ 0.9 → sigmoid(1.6) ≈ 0.83
    expect(lowAllotted / low).toBeLessThan(0.3);
    expect(highAllotted / high).toBeGreaterThan(0.7);
    expect(highAllotted).toBeLessThan(high);
  });

  test("a sector weight favours that sector", () => {
    const rows = [
      ...apps(1000, "2019-01-01", { sector: "it_telecom" }),
      ...apps(1000, "2019-01-01", { sector: "other" }),
    ];
    const r = simulate(
      makeApps(rows),
      makePolicy({
        quarters: 1,
        quota: quota("unlimited"),
        committee: committee(-1, 0, { it_telecom: 2 }),
        scales: SCALES,
      }),
      5,
    );
    const it = r.apps.sectors.lookup("it_telecom");
    let itAllotted = 0;
    let otherAllotted = 0;
    for (let g = 0; g < r.apps.size; g++)
      if (r.decision[g] === ALLOTTED) r.apps.sector[g] === it ? itAllotted++ : otherAllotted++;
    expect(itAllotted).toBeGreaterThan(2 * otherAllotted);
  });

  test("an application keeps its latent quality: the same case is judged the same way in a later exercise", () => {
    // pool_rounds 2: a case not approved in its first exercise meets the same standard again and is
    // not approved then either
    const r = simulate(
      makeApps(apps(300)),
      makePolicy({
        quarters: 2,
        poolRounds: 2,
        quota: quota("unlimited"),
        committee: committee(-1),
        scales: SCALES,
      }),
      11,
    );
    expect(r.rounds[1]!.allotted).toBe(0);
    expect(r.rounds[1]!.not_selected).toBe(300 - r.rounds[0]!.allotted);
  });
});

describe("processing as a queue", () => {
  const schedule = (quarters: number, s: Partial<QuarterPolicy>): QuarterPolicy[] =>
    Array.from({ length: quarters }, () => ({
      assessmentCapacity: null,
      assessmentLagQuarters: 0,
      withdrawalPerQuarter: 0,
      committee: null,
      exercisesPerYear: 4,
      passMark: null,
      ...s,
    }));

  test("first come, first assessed, within the capacity of each quarter", () => {
    const r = simulate(
      makeApps(apps(250)),
      makePolicy({
        quarters: 4,
        quota: quota("unlimited"),
        schedule: schedule(4, { assessmentCapacity: 100 }),
      }),
      1,
    );
    expect(r.rounds.map((m) => m.assessed)).toEqual([100, 100, 50, 0]);
    expect(r.rounds.map((m) => m.backlog)).toEqual([150, 50, 0, 0]);
    // the queue order is the application order
    for (let g = 1; g < r.apps.size; g++)
      expect(r.assessmentQuarter[g]!).toBeGreaterThanOrEqual(r.assessmentQuarter[g - 1]!);
  });

  test("an application waits the lag before it can be assessed: waits come out in months", () => {
    const r = simulate(
      makeApps(apps(40)),
      makePolicy({
        quarters: 4,
        quota: quota("unlimited"),
        schedule: schedule(4, { assessmentLagQuarters: 2 }),
      }),
      1,
    );
    expect(r.rounds.map((m) => m.assessed)).toEqual([0, 0, 40, 0]);
    for (let g = 0; g < r.apps.size; g++) {
      expect(r.assessmentQuarter[g]! - r.arrivalQuarter[g]!).toBe(2);
      expect(r.waitDays[g]!).toBeGreaterThan(180);
    }
  });

  test("dated capacity: the schedule's value of each quarter applies", () => {
    const s = [...schedule(2, { assessmentCapacity: 10 }), ...schedule(2, { assessmentCapacity: null })];
    const r = simulate(
      makeApps(apps(100)),
      makePolicy({ quarters: 4, quota: quota("unlimited"), schedule: s }),
      1,
    );
    expect(r.rounds.map((m) => m.assessed)).toEqual([10, 10, 80, 0]);
    expect(Array.from(r.decision).filter((d) => d === PENDING)).toHaveLength(0);
  });
});

describe("quota per year", () => {
  test("annual split: one exercise may allot the whole year's quota; the year never exceeds it", () => {
    const rows = apps(900, "2019-01-01");
    const r = simulate(
      makeApps(rows),
      makePolicy({ quarters: 4, quota: { ...quota(600), split: "annual" } }),
      1,
    );
    expect(r.rounds.map((m) => m.allotted)).toEqual([600, 0, 0, 0]);
    expect(r.rounds.map((m) => m.quota)).toEqual([600, 0, 0, 0]);
    const even = simulate(makeApps(rows), makePolicy({ quarters: 4, quota: quota(600) }), 1);
    expect(even.rounds[0]!.allotted).toBe(150);
  });

  test("annual split: unused places carry to the year's later exercises and lapse at its end", () => {
    const rows = [...apps(100, "2019-01-01"), ...apps(700, "2019-07-01"), ...apps(700, "2020-01-01")];
    const r = simulate(
      makeApps(rows),
      makePolicy({ quarters: 5, quota: { ...quota(600), split: "annual" } }),
      1,
    );
    expect(r.rounds.map((m) => m.allotted)).toEqual([100, 0, 500, 0, 600]);
    expect(allotted(r)).toBe(1200);
  });

  test("annual split: a raise during the year adds the difference", () => {
    const rows = [...apps(100, "2020-01-01"), ...apps(3000, "2020-10-01")];
    const r = simulate(
      makeApps(rows),
      makePolicy({
        firstQuarter: 2020 * 4,
        quarters: 4,
        quota: { ...quota(1000, [{ from: "2020-11-26", per_year: 2000 }]), split: "annual" },
      }),
      1,
    );
    expect(r.rounds.map((m) => m.quota)).toEqual([1000, 0, 0, 1000]);
    expect(r.rounds[3]!.allotted).toBe(1900);
  });
});
