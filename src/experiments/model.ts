import { parseDistributionSpec } from "../applicants/spec.js";
import { formatQuarter } from "../dates.js";
import { ruleBookFrom } from "../rules/load.js";
import type { ResolvedScenario } from "../scenario/extends.js";
import type { Scenario } from "../scenario/schema.js";
import { COHORT_METRICS, cohortTable, ROUND_METRICS, summarize } from "../simulation/metrics.js";
import { loadScenarioInputs, runScenario } from "../simulation/run.js";
import type { RunResult } from "../simulation/timeline.js";
import type { MetricTable, RunMetrics } from "./metrics.js";
import type { Model } from "./workers.js";

/**
 * The model of an experiment: one run of the selection engine (src/simulation) with a given seed,
 * reduced to the tables of its report: `run` (whole-run totals), `rounds` (rounds.csv, one row per
 * quarter) and `cohort` (cohort.csv, one row per dimension and group). Inputs are loaded once per
 * unit: the rule book (rebuilt when overrides changed it), the spec, or the CSV pool and its scores.
 */
export async function prepareModel(unit: ResolvedScenario, dataDir: string): Promise<Model> {
  const scenario = unit.scenario as unknown as Scenario;
  const ruleBook = unit.rules ? ruleBookFrom(unit.rules.ruleSets, unit.rules.talentLists) : undefined;
  const spec = unit.spec ? parseDistributionSpec(unit.spec, `${unit.name} (spec after overrides)`) : undefined;
  const inputs = await loadScenarioInputs(scenario, { dataDir, ruleBook, spec });
  return (seed) => runMetrics(runScenario(scenario, inputs, { seed }).result);
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function runMetrics(result: RunResult): RunMetrics {
  const totals = summarize(result);
  const run: MetricTable = {
    name: "run",
    keyColumns: [],
    metricColumns: Object.keys(totals),
    rows: [Object.values(totals).map(finite)],
  };
  const rounds: MetricTable = {
    name: "rounds",
    keyColumns: ["quarter"],
    metricColumns: [...ROUND_METRICS],
    rows: result.rounds.map((r) => [formatQuarter(r.quarter), ...ROUND_METRICS.map((m) => finite(r[m]))]),
  };
  const cohort: MetricTable = {
    name: "cohort",
    keyColumns: ["dimension", "group"],
    metricColumns: [...COHORT_METRICS],
    rows: cohortTable(result).map((c) => [c.dimension, c.group, ...COHORT_METRICS.map((m) => finite(c[m]))]),
  };
  return [run, rounds, cohort];
}
