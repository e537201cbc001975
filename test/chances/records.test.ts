import { describe, expect, it } from "vitest";
import { APT_BUCKET, replicationRecord } from "../../src/chances/records.js";
import { parseIsoDay } from "../../src/dates.js";
import { unitInputs } from "../../src/experiments/model.js";
import { resolveScenario } from "../../src/experiments/resolve.js";
import type { Scenario } from "../../src/scenario/schema.js";
import { runScenario } from "../../src/simulation/run.js";

/** The records are read back from a finished run: they must agree with the run's own per-quarter counts. */
async function run(overrides: Record<string, unknown>) {
  const unit = resolveScenario("test/chances/fixtures/score-only.yaml", {
    extra: { label: "test", name: "records", overrides },
  });
  const scenario = unit.scenario as unknown as Scenario;
  const result = runScenario(scenario, await unitInputs(unit, "data"), { seed: "3" }).result;
  return {
    result,
    record: replicationRecord(result, { fromDay: parseIsoDay("2019-01-01"), exercises: 4, aptFirst: true }),
  };
}

const sum = (a: Int32Array) => a.reduce((s, v) => s + v, 0);

describe("records of a replication", () => {
  it.each([
    ["each refused after one exercise", { pool_rounds: 1 }],
    ["kept in the pool for three exercises, an even quota", { pool_rounds: 3, "quota.split": "even" }],
  ])("agree with the run's allotted and candidates per exercise (%s)", async (_name, overrides) => {
    const { result, record } = await run(overrides);
    expect(record.assessedAt).toBe(0);
    expect(record.exercises.map((e) => e.k)).toEqual([0, 1, 2, 3]);
    for (const e of record.exercises) {
      const round = result.rounds[e.k]!;
      expect(sum(e.allottedEarly) + sum(e.allottedLate)).toBe(round.allotted);
      expect(sum(e.rankedEarly) + sum(e.rankedLate)).toBe(round.candidates);
      expect(e.allottedEarly[APT_BUCKET]! + e.allottedLate[APT_BUCKET]!).toBe(round.allotted_apt);
      expect(e.allotted).toBe(round.allotted);
      // the lowest GPT score with an allotment is the run's cutoff
      let lowest = -1;
      for (let s = 0; s < APT_BUCKET && lowest < 0; s++)
        if (e.allottedEarly[s]! + e.allottedLate[s]! > 0) lowest = s;
      expect(lowest < 0 ? Number.NaN : lowest).toEqual(round.cutoff_score);
    }
    expect(record.calendarCutoffs).toEqual(result.rounds.slice(0, 4).map((r) => r.cutoff_score));
  });
});
