import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { formatIsoDay, parseIsoDay } from "../../src/dates.js";
import { summarizeRun } from "../../src/simulation/metrics.js";
import {
  ALLOTTED,
  NOT_SELECTED,
  PENDING,
  type Policy,
  REFUSED_BELOW_PASS_MARK,
  REFUSED_PREREQUISITES,
  type RunResult,
  simulate,
} from "../../src/simulation/timeline.js";
import { makeApps, makePolicy, type TestApp } from "./helpers.js";

/** Small random pools over 2019–2020 and random policies: invariants that must hold for all of them. */
const START = parseIsoDay("2019-01-01");

const appArb = fc.record({
  day: fc.integer({ min: -30, max: 729 }),
  total: fc.integer({ min: 0, max: 225 }),
  aptRoll: fc.integer({ min: 0, max: 9 }),
  eligible: fc.integer({ min: 0, max: 9 }).map((v) => v > 0),
  sector: fc.constantFrom("finance", "it", "other"),
});

function toRows(raw: fc.infer<typeof appArb>[], passMark: number): TestApp[] {
  return raw.map((r) => {
    const route = r.aptRoll === 0 ? "apt" : "gpt";
    return {
      applied_on: formatIsoDay(START + r.day),
      total: route === "apt" ? 225 : r.total,
      route,
      eligible: r.eligible,
      passed: r.eligible && (route === "apt" || r.total >= passMark),
      sector: r.sector,
    } satisfies TestApp;
  });
}

const policyArb = fc.record({
  perYear: fc.integer({ min: 0, max: 24 }),
  exercisesPerYear: fc.constantFrom(1 as const, 2 as const, 4 as const),
  unusedQuota: fc.constantFrom("lapse" as const, "carry_within_year" as const, "carry_forward" as const),
  tieBreak: fc.constantFrom(
    ["applied_on", "lottery"] as const,
    ["applied_on", "id"] as const,
    ["lottery"] as const,
    ["id"] as const,
  ),
  aptFirst: fc.boolean(),
  poolRounds: fc.integer({ min: 1, max: 3 }),
  capacity: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
  withdrawal: fc.constantFrom(0, 0, 0.2),
});

function policyOf(p: fc.infer<typeof policyArb>, perYear = p.perYear, withdrawal = p.withdrawal): Policy {
  return makePolicy({
    quarters: 8,
    quota: { per_year: perYear, changes: [] },
    exercisesPerYear: p.exercisesPerYear,
    unusedQuota: p.unusedQuota,
    tieBreak: [...p.tieBreak],
    aptFirst: p.aptFirst,
    poolRounds: p.poolRounds,
    assessmentCapacity: p.capacity,
    withdrawalPerQuarter: withdrawal,
  });
}

const pools = fc.array(appArb, { minLength: 0, maxLength: 60 });
const RUNS = { numRuns: 150 };

function check(r: RunResult, perYear: number, mode: Policy["unusedQuota"]): void {
  const { apps, decision } = r;
  const counts = new Map<number, number>();
  for (let g = 0; g < apps.size; g++) {
    const d = decision[g]!;
    counts.set(d, (counts.get(d) ?? 0) + 1);
    // one state, consistent with what scoring said
    if (d === PENDING) expect(r.decisionQuarter[g]).toBe(-1);
    else expect(r.decisionQuarter[g]).toBeGreaterThanOrEqual(0);
    if (d === REFUSED_PREREQUISITES) expect(apps.eligible[g]).toBe(0);
    if (d === REFUSED_BELOW_PASS_MARK) expect([apps.eligible[g], apps.passed[g]]).toEqual([1, 0]);
    if (d === ALLOTTED || d === NOT_SELECTED) expect(apps.passed[g]).toBe(1);
    // nobody allotted below the pass mark
    if (d === ALLOTTED && apps.route[g] === 0) expect(apps.total[g]).toBeGreaterThanOrEqual(80);
  }
  const s = summarizeRun(r);
  expect(s.allotted).toBe(r.rounds.reduce((a, m) => a + m.allotted, 0));
  expect(
    s.not_selected +
      s.allotted +
      s.withdrawn +
      s.pending +
      s.refused_below_pass_mark +
      s.refused_prerequisites,
  ).toBe(apps.size);
  // no exercise over its quota (own + carried in); no year over its quota unless carried forward
  const perCalendarYear = new Map<number, number>();
  for (const m of r.rounds) {
    if (m.exercise) expect(m.allotted).toBeLessThanOrEqual(m.quota + m.carried_in);
    else expect(m.allotted).toBe(0);
    const y = Math.floor(m.quarter / 4);
    perCalendarYear.set(y, (perCalendarYear.get(y) ?? 0) + m.allotted);
  }
  if (mode !== "carry_forward")
    for (const v of perCalendarYear.values()) expect(v).toBeLessThanOrEqual(perYear);
}

describe("invariants over random pools and policies", () => {
  test("every application ends in exactly one consistent state; quotas hold; nobody below the pass mark", () => {
    fc.assert(
      fc.property(pools, policyArb, fc.integer(), (raw, p, seed) => {
        const r = simulate(makeApps(toRows(raw, 80)), policyOf(p), seed);
        check(r, p.perYear, p.unusedQuota);
      }),
      RUNS,
    );
  });

  test("within an exercise (committee off) the allotted are exactly the top ranks", () => {
    fc.assert(
      fc.property(pools, policyArb, fc.integer(), (raw, p, seed) => {
        const r = simulate(makeApps(toRows(raw, 80)), policyOf(p), seed);
        for (let k = 0; k < r.rounds.length; k++) {
          const ranks: number[] = [];
          for (let g = 0; g < r.apps.size; g++)
            if (r.decision[g] === ALLOTTED && r.decisionQuarter[g] === k) ranks.push(r.rank[g]!);
          ranks.sort((a, b) => a - b);
          expect(ranks).toEqual(ranks.map((_, i) => i + 1));
          // and every passed candidate not allotted in that exercise ranks below them
          for (let g = 0; g < r.apps.size; g++) {
            if (r.decision[g] === NOT_SELECTED && r.decisionQuarter[g] === k)
              expect(r.rank[g]).toBeGreaterThan(ranks.length);
          }
        }
      }),
      RUNS,
    );
  });

  test("raising the quota never lowers the number allotted", () => {
    fc.assert(
      fc.property(pools, policyArb, fc.integer({ min: 1, max: 12 }), fc.integer(), (raw, p, extra, seed) => {
        const rows = toRows(raw, 80);
        const low = summarizeRun(simulate(makeApps(rows), policyOf(p, p.perYear, 0), seed)).allotted;
        const high = summarizeRun(simulate(makeApps(rows), policyOf(p, p.perYear + extra, 0), seed)).allotted;
        expect(high).toBeGreaterThanOrEqual(low);
      }),
      RUNS,
    );
  });

  test("raising the pass mark never raises the number allotted", () => {
    fc.assert(
      fc.property(
        pools,
        policyArb,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer(),
        (raw, p, mark, extra, seed) => {
          const low = summarizeRun(
            simulate(makeApps(toRows(raw, mark)), policyOf(p, p.perYear, 0), seed),
          ).allotted;
          const high = summarizeRun(
            simulate(makeApps(toRows(raw, mark + extra)), policyOf(p, p.perYear, 0), seed),
          ).allotted;
          expect(high).toBeLessThanOrEqual(low);
        },
      ),
      RUNS,
    );
  });

  test("same seed, same decisions", () => {
    fc.assert(
      fc.property(pools, policyArb, fc.integer(), (raw, p, seed) => {
        const rows = toRows(raw, 80);
        const a = simulate(makeApps(rows), policyOf(p), seed);
        const b = simulate(makeApps(rows), policyOf(p), seed);
        expect(Array.from(a.decision)).toEqual(Array.from(b.decision));
        expect(Array.from(a.rank)).toEqual(Array.from(b.rank));
      }),
      { numRuns: 50 },
    );
  });
});
