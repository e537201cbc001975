import type { ResolvedScenario } from "../scenario/extends.js";
import type { ValidationRow } from "../validation/table.js";
import type { ExperimentManifest } from "./manifest.js";
import { collectSeries, type MetricSeries, type RunMetrics } from "./metrics.js";
import { modelModuleUrl, prepareModel } from "./model.js";
import { replicationSeeds } from "./seeds.js";
import { type ExecuteOptions, executeTasks, type Task } from "./workers.js";

/**
 * The Experiment API (after discrete-sim): a model `(scenario, seed) → metrics`, replications with
 * hash-derived seeds, and the same seeds for every unit of an experiment (common random numbers), so
 * a difference between two scenarios is the policy's effect and not sampling noise.
 */
export interface ExperimentRun {
  units: ResolvedScenario[];
  masterSeed: string;
  seeds: string[];
  /** per unit: one RunMetrics per replication, in replication order */
  metrics: RunMetrics[][];
  /** per unit: one series per metric */
  series: MetricSeries[][];
  mode: "in-thread" | "workers";
  workers: number;
}

/** Options that may name another model module (tests use one); default: the selection engine's. */
export type ModelChoice<T extends ExecuteOptions> = Omit<T, "modelModule"> & {
  modelModule?: string | undefined;
};

/**
 * The pool's options with the model filled in: the engine's (./model.ts) unless another module is
 * named; in this thread the module as loaded here (the sources under a test runner), in worker
 * threads the compiled one.
 */
export function withModel(opts: ModelChoice<ExecuteOptions>): ExecuteOptions {
  return {
    ...opts,
    modelModule: opts.modelModule ?? modelModuleUrl(),
    ...(opts.prepareInThread || opts.modelModule !== undefined ? {} : { prepareInThread: prepareModel }),
  };
}

export interface RunExperimentOptions extends Omit<ExecuteOptions, "modelModule"> {
  masterSeed: string;
  replications: number;
  /** file URL of another model module (tests use one); default: the selection engine's (./model.ts) */
  modelModule?: string | undefined;
}

export async function runExperiment(
  units: ResolvedScenario[],
  opts: RunExperimentOptions,
): Promise<ExperimentRun> {
  const seeds = replicationSeeds(opts.masterSeed, opts.replications);
  const tasks: Task[] = [];
  units.forEach((_, unit) => {
    seeds.forEach((seed, replication) => {
      tasks.push({ unit, replication, seed });
    });
  });
  const execution = await executeTasks(units, tasks, withModel(opts));
  const metrics = units.map((_, u) => execution.results.slice(u * seeds.length, (u + 1) * seeds.length));
  return experimentRunOf(units, opts.masterSeed, seeds, metrics, execution);
}

/** An experiment's results as one machine holds them, wherever the replications ran (see ./merge.ts). */
export function experimentRunOf(
  units: ResolvedScenario[],
  masterSeed: string,
  seeds: string[],
  metrics: RunMetrics[][],
  execution: Pick<ExperimentRun, "mode" | "workers">,
): ExperimentRun {
  return {
    units,
    masterSeed,
    seeds,
    metrics,
    series: metrics.map(collectSeries),
    mode: execution.mode,
    workers: execution.workers,
  };
}

/** A finished experiment: its folder, the files written there, the results and the manifest. */
export interface ExperimentReport {
  outDir: string;
  files: string[];
  run: ExperimentRun;
  manifest: ExperimentManifest;
  /** `validate`: each published figure the run covers, with the simulated mean and CI */
  validation?: ValidationRow[];
}
