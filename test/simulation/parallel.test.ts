import { describe, expect, test } from "vitest";
import { validateScenario } from "../../src/scenario/validate.js";
import { runScenarioParallel } from "../../src/simulation/parallel.js";
import { loadScenarioInputs, runScenario, type ScenarioRun } from "../../src/simulation/run.js";

/** Everything a run decides, per application and per round, as plain data. */
function outcome(run: ScenarioRun) {
  const r = run.result;
  const apps = r.apps;
  const ids = Array.from({ length: apps.size }, (_, g) => apps.idOf(g));
  return {
    ids,
    decision: Array.from(r.decision),
    rank: Array.from(r.rank),
    waitDays: Array.from(r.waitDays),
    arrival: Array.from(r.arrivalQuarter),
    total: Array.from(apps.total),
    persons: Array.from(apps.persons),
    sector: Array.from(apps.sector, (s) => apps.sectors.values[s]),
    rounds: JSON.stringify(r.rounds),
  };
}

describe("runScenarioParallel (arrivals made on worker threads)", async () => {
  const scenario = validateScenario(
    {
      name: "parallel",
      seed: 11,
      period: { from: "2019-01-01", quarters: 6 },
      pool: { spec: "qmas-2021", arrivals_per_quarter: 2_500 },
      rules: "auto",
      quota: { per_year: 2_000 },
      tie_break: ["applied_on", "lottery"],
      pool_rounds: 2,
      withdrawal_per_quarter: 0.05,
    },
    "parallel.yaml",
  );
  const inputs = await loadScenarioInputs(scenario);
  const serial = outcome(runScenario(scenario, inputs));

  test("gives the same run as runScenario, for 2 and 3 threads", async () => {
    for (const threads of [2, 3]) {
      const progress: number[] = [];
      const run = await runScenarioParallel(scenario, inputs, {
        threads,
        minApplications: 0,
        onProgress: (done) => progress.push(done),
      });
      expect(run.arrivalThreads).toBe(threads);
      expect(outcome(run)).toEqual(serial);
      expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  test("with another seed, the same as runScenario with that seed (and not the same as seed 11)", async () => {
    const other = outcome(runScenario(scenario, inputs, { seed: 12 }));
    const run = await runScenarioParallel(scenario, inputs, { seed: 12, threads: 2, minApplications: 0 });
    expect(run.arrivalThreads).toBe(2);
    expect(outcome(run)).toEqual(other);
    expect(other.decision).not.toEqual(serial.decision);
  });

  test("small runs and one thread stay in this thread with the same result", async () => {
    for (const run of [
      await runScenarioParallel(scenario, inputs, { threads: 1, minApplications: 0 }),
      await runScenarioParallel(scenario, inputs, { threads: 2 }),
    ]) {
      expect(run.arrivalThreads).toBe(0);
      expect(outcome(run)).toEqual(serial);
    }
  });
});
