import { basename } from "node:path";
import { parseDistributionSpec } from "../applicants/generate/index.js";
import { ruleBookFrom } from "../rules/load.js";
import { professionNearMisses, professionWarnings } from "../rules/professions.js";
import type { RuleSet } from "../rules/types.js";
import { claimRunFolder } from "../run-folder.js";
import type { ResolvedScenario } from "../scenario/extends.js";
import type { Scenario } from "../scenario/schema.js";
import type { RunSummary } from "../simulation/metrics.js";
import { RUN_REPORT_FILES, writeRunOutputs } from "../simulation/outputs.js";
import { runScenarioParallel } from "../simulation/parallel.js";
import { poolDateWarnings } from "../simulation/pool-dates.js";
import { loadScenarioInputs } from "../simulation/run.js";
import { checkMemory } from "./estimate.js";
import { inputFiles } from "./manifest.js";
import { writeScenarioRunReport } from "./report-models.js";
import { resolveScenario } from "./resolve.js";

/**
 * One `qmas-sim run` of a scenario file into a folder: resolve `extends` and overrides, load the
 * inputs (the scenario chain is hashed into the manifest), run with `seed` (default: the scenario's)
 * and write decisions, rounds, cohort, manifest, report.html and summary.md. Shared by `run` and
 * `rerun` so a re-run is the same code path as the run it checks.
 */
export interface ScenarioFileRun {
  unit: ResolvedScenario;
  scenario: Scenario;
  summary: RunSummary;
  /** what a cutoff counts: the kinds of the rule sets the run assessed under */
  scoreKinds: RuleSet["kind"][];
  /** names of the files written into the folder (the manifest, written last, listed where main lists it) */
  files: string[];
}

/** Resolve a scenario file once (the caller needs its name before choosing the folder). */
export function resolveScenarioForRun(file: string): { unit: ResolvedScenario; scenario: Scenario } {
  // The experiments resolver follows `extends` and applies overrides (rule sets, spec, scenario keys).
  const unit = resolveScenario(file);
  return { unit, scenario: unit.scenario as unknown as Scenario };
}

export interface RunIntoOptions {
  /** threads generating a large pool's arrivals (default: the number of cores; the result is the same) */
  jobs?: number;
  /** quarters of arrivals made so far, when they are made on worker threads */
  onProgress?: (done: number, total: number) => void;
  /** take the folder even when it holds another run or other files */
  force?: boolean;
  /** memory budget in MB for the estimate checked before the run (default: half the machine's memory) */
  maxMemoryMb?: number;
  /** one line per thing worth knowing that does not stop the run (a misspelt profession in a CSV pool) */
  onWarning?: (line: string) => void;
}

export async function runResolvedScenarioInto(
  resolved: { unit: ResolvedScenario; scenario: Scenario },
  dir: string,
  seed: string | number = resolved.scenario.seed,
  opts: RunIntoOptions = {},
): Promise<ScenarioFileRun> {
  const { unit, scenario } = resolved;
  checkMemory(`run ${scenario.name}`, [unit], { maxMemoryMb: opts.maxMemoryMb });
  claimRunFolder({
    dir,
    outputs: [...RUN_REPORT_FILES, "manifest.json"],
    inputs: inputFiles([unit], "data"),
    identity: `run ${scenario.name}`,
    force: opts.force,
  });
  const inputs = await loadScenarioInputs(scenario, {
    extraFiles: unit.chain,
    ...(unit.rules ? { ruleBook: ruleBookFrom(unit.rules.ruleSets, unit.rules.talentLists) } : {}),
    ...(unit.spec ? { spec: parseDistributionSpec(unit.spec, `${unit.name} (spec after overrides)`) } : {}),
  });
  if (inputs.csv) {
    const dates = poolDateWarnings(String(scenario.pool.csv), inputs.csv.pool, scenario.period);
    for (const line of dates) opts.onWarning?.(line);
  }
  if (inputs.csv && opts.onWarning) {
    for (const line of professionWarnings(
      String(scenario.pool.csv),
      professionNearMisses(inputs.csv.pool, inputs.ruleBook),
    ))
      opts.onWarning(line);
  }
  const run = await runScenarioParallel(scenario, inputs, {
    seed,
    ...(opts.jobs === undefined ? {} : { threads: opts.jobs }),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const { summary, files } = await writeRunOutputs(run, dir, {
    beforeManifest: async () => {
      await writeScenarioRunReport(dir, run, { unit });
    },
  });
  const scoreKinds = [
    ...new Set(run.result.apps.ruleSetIds.map((id) => inputs.ruleBook.get(id).kind)),
  ].sort() as RuleSet["kind"][];
  return {
    unit,
    scenario,
    summary,
    scoreKinds,
    files: [...files.map((f) => basename(f)), "report.html", "summary.md"],
  };
}

export async function runScenarioFileInto(
  file: string,
  dir: string,
  seed?: string | number,
): Promise<ScenarioFileRun> {
  return runResolvedScenarioInto(resolveScenarioForRun(file), dir, seed);
}
