import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  estimate,
  type ForecastPolicy,
  type Hypothetical,
  type ReplicationChance,
  replicationChance,
  roomFor,
  wilson,
} from "../../src/chances/probability.js";
import { APT_BUCKET, type ExerciseRecord, type ReplicationRecord } from "../../src/chances/records.js";
import type { CommitteeConfig } from "../../src/scenario/schema.js";
import { buildCommittee, standardProbability } from "../../src/selection/exercise.js";
import type { QuarterPolicy } from "../../src/simulation/timeline.js";

const SCALE = { kind: "points" as const, pass: 80, max: 225 };

function exercise(k: number, places: number, allotted: Record<number, [number, number]>): ExerciseRecord {
  const e: ExerciseRecord = {
    k,
    places,
    allotted: 0,
    allottedEarly: new Int32Array(APT_BUCKET + 1),
    allottedLate: new Int32Array(APT_BUCKET + 1),
    rankedEarly: new Int32Array(APT_BUCKET + 1),
    rankedLate: new Int32Array(APT_BUCKET + 1),
  };
  for (const [score, [early, late]] of Object.entries(allotted)) {
    e.allottedEarly[Number(score)] = early;
    e.allottedLate[Number(score)] = late;
    e.rankedEarly[Number(score)] = early;
    e.rankedLate[Number(score)] = late;
    e.allotted += early + late;
  }
  return e;
}

function committee(intercept: number, slope = 3): CommitteeConfig {
  return {
    standard: { intercept, per_relative_score: slope, sectors: {} },
    sector_shares: {},
    sector_caps: {},
    approval: [],
    apt_approval: 0.9,
  };
}

function schedule(committees: (CommitteeConfig | null)[]): QuarterPolicy[] {
  return committees.map((c) => ({
    assessmentCapacity: null,
    assessmentLagQuarters: 0,
    withdrawalPerQuarter: 0,
    committee: c,
    exercisesPerYear: 4,
    passMark: null,
  }));
}

const gpt = (total: number): Hypothetical => ({ route: "gpt", total, scale: SCALE });
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("room in an exercise", () => {
  it("an exercise that left places unused had room for any score", () => {
    expect(roomFor(exercise(0, 10, { 200: [3, 4] }), 81)).toBe(true);
  });

  it("a full exercise has room only when fewer approved candidates than places rank ahead", () => {
    // 10 places, all used: 6 at 150, 4 at 120 (2 of them applied no later than the application)
    const e = exercise(0, 10, { 150: [0, 6], 120: [2, 2] });
    expect(roomFor(e, 151)).toBe(true); // nobody ahead
    expect(roomFor(e, 130)).toBe(true); // 6 ahead
    expect(roomFor(e, 120)).toBe(true); // 6 + the 2 earlier of its score = 8 ahead
    expect(roomFor(e, 119)).toBe(false); // 10 ahead
    // APT passes rank first (apt_first): 10 of them fill every place
    expect(roomFor(exercise(0, 10, { [APT_BUCKET]: [0, 10] }), 225)).toBe(false);
  });

  it("no places: no room", () => {
    expect(roomFor(exercise(0, 0, {}), 225)).toBe(false);
  });
});

describe("one replication's chance", () => {
  const rec = (exercises: ExerciseRecord[]): ReplicationRecord => ({
    assessedAt: 0,
    exercises,
    sectors: {},
    calendarCutoffs: [],
  });

  it("is the committee standard's probability when there is room, the same for a re-application", () => {
    const policy: ForecastPolicy = {
      schedule: schedule([committee(-1.45), committee(-1.45)]),
      passMark: null,
      reapply: "same",
    };
    const c = replicationChance(rec([exercise(0, 100, {}), exercise(1, 100, {})]), gpt(152), policy, 2, true);
    const p = sigmoid(-1.45 + (3 * 72) / 145);
    expect(c.p[0]).toBeCloseTo(p, 12);
    expect(c.p[1]).toBeCloseTo(p, 12); // the same case, judged the same way
    const fresh = replicationChance(
      rec([exercise(0, 100, {}), exercise(1, 100, {})]),
      gpt(152),
      { ...policy, reapply: "fresh" },
      2,
      true,
    );
    expect(fresh.p[1]).toBeCloseTo(1 - (1 - p) ** 2, 12);
  });

  it("a laxer standard in the next exercise lifts a refused case to that standard's probability", () => {
    const policy: ForecastPolicy = {
      schedule: schedule([committee(-2), committee(0)]),
      passMark: null,
      reapply: "same",
    };
    const c = replicationChance(rec([exercise(0, 100, {}), exercise(1, 100, {})]), gpt(80), policy, 2, true);
    expect(c.p[0]).toBeCloseTo(sigmoid(-2), 12);
    expect(c.p[1]).toBeCloseTo(sigmoid(0), 12);
  });

  it("no room in the first exercise: only the second counts", () => {
    const policy: ForecastPolicy = { schedule: schedule([null, null]), passMark: null, reapply: "same" };
    const full = exercise(0, 2, { 200: [0, 2] });
    const c = replicationChance(rec([full, exercise(1, 100, {})]), gpt(150), policy, 2, true);
    expect(c.p).toEqual([0, 1]);
    expect(c.committeeOnly).toEqual([1, 1]);
  });

  it("below the pass mark: 0 in every exercise", () => {
    const policy: ForecastPolicy = { schedule: schedule([null]), passMark: null, reapply: "same" };
    expect(replicationChance(rec([exercise(0, 100, {})]), gpt(79), policy, 1, true).p).toEqual([0]);
    // a scenario pass mark of 100 refuses 99
    expect(
      replicationChance(rec([exercise(0, 100, {})]), gpt(99), { ...policy, passMark: 100 }, 1, true).p,
    ).toEqual([0]);
  });

  it("the standard's probability is the one the engine draws against", () => {
    const cfg = committee(-1.45);
    const p = standardProbability(cfg.standard!, SCALE, null, 152, 0);
    const approves = (quality: number) =>
      buildCommittee(cfg, ["it"], {
        scales: { t: SCALE },
        passMark: null,
        ruleSetIds: ["t"],
        ruleSet: Uint8Array.of(0),
        quality: Float64Array.of(quality),
        total: Int16Array.of(152),
        route: Uint8Array.of(0),
        sector: Uint16Array.of(0),
      }).approves!(0, 0);
    expect(approves(p - 1e-9)).toBe(true);
    expect(approves(p + 1e-9)).toBe(false);
  });
});

describe("the estimate over replications", () => {
  const always = (n: number, p: number): ReplicationChance[] =>
    Array.from({ length: n }, () => ({ p: [p], committeeOnly: [p] }));

  it("never [1, 1] from a few replications: selection by score alone, room in all of them", () => {
    const e = estimate(always(5, 1), 0);
    expect(e.p).toBe(1);
    expect(e.high).toBe(1);
    expect(e.low).toBeLessThan(0.6);
    expect(e.low).toBeCloseTo(wilson(1, 5)[0], 12);
  });

  it("the interval narrows as replications are added", () => {
    const widths = [5, 20, 80, 320].map((n) => {
      const e = estimate(always(n, 0.4), 0);
      return e.high - e.low;
    });
    for (let i = 1; i < widths.length; i++) expect(widths[i]!).toBeLessThan(widths[i - 1]!);
    const half = Array.from({ length: 40 }, (_, i) => ({ p: [i % 2 ? 0.5 : 0], committeeOnly: [0.5] }));
    const e = estimate(half, 0);
    expect(e.p).toBeCloseTo(0.25, 12);
    expect(e.low).toBeLessThan(0.25);
    expect(e.high).toBeGreaterThan(0.25);
    expect(e.high).toBeLessThanOrEqual(0.5);
  });

  it("a score that cannot pass is exactly 0", () => {
    expect(estimate(always(10, 0), 0)).toEqual({ p: 0, low: 0, high: 0 });
  });
});

describe("monotone in score and in k (property)", () => {
  const arbExercise = (k: number) =>
    fc
      .record({
        places: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(Number.POSITIVE_INFINITY)),
        counts: fc.array(fc.tuple(fc.integer({ min: 80, max: 225 }), fc.nat(6), fc.nat(6), fc.boolean()), {
          maxLength: 12,
        }),
      })
      .map(({ places, counts }) => {
        const e = exercise(k, places, {});
        for (const [score, early, late, apt] of counts) {
          const key = apt ? APT_BUCKET : score;
          e.allottedEarly[key]! += early;
          e.allottedLate[key]! += late;
          e.allotted += early + late;
        }
        // what the engine can produce: never more allotted than places
        e.allotted = Math.min(e.allotted, places);
        return e;
      });

  it("holds for any exercises, standards with a non-negative slope, and both re-application models", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -4, max: 2, noNaN: true }),
            fc.double({ min: 0, max: 6, noNaN: true }),
            fc.boolean(),
          ),
          {
            minLength: 3,
            maxLength: 3,
          },
        ),
        fc.tuple(arbExercise(0), arbExercise(1), arbExercise(2)),
        fc.constantFrom<"same" | "fresh">("same", "fresh"),
        (standards, exercises, reapply) => {
          const policy: ForecastPolicy = {
            schedule: schedule(standards.map(([a, b, on]) => (on ? committee(a, b) : null))),
            passMark: null,
            reapply,
          };
          const record: ReplicationRecord = { assessedAt: 0, exercises, sectors: {}, calendarCutoffs: [] };
          let previous = [0, 0, 0];
          for (let s = 0; s <= 225; s += 5) {
            const { p } = replicationChance(record, gpt(s), policy, 3, true);
            for (let j = 0; j < 3; j++) {
              expect(p[j]!).toBeGreaterThanOrEqual(previous[j]! - 1e-12);
              if (j > 0) expect(p[j]!).toBeGreaterThanOrEqual(p[j - 1]! - 1e-12);
              expect(p[j]!).toBeLessThanOrEqual(1);
            }
            if (s < 80) expect(p).toEqual([0, 0, 0]);
            previous = p;
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("percentages on the terminal", () => {
  it("never round to 0 % or 100 % what is not exactly that", async () => {
    const { percent } = await import("../../src/report/html/chances.js");
    expect([0, 1, 0.9996, 0.0004, 0.955, 0.5, 0.05].map(percent)).toEqual([
      "0 %",
      "100 %",
      "> 99.9 %",
      "< 0.1 %",
      "95.5 %",
      "50 %",
      "5.0 %",
    ]);
  });
});
