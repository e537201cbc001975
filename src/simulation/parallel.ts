import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type PostedError, WorkerError } from "../errors.js";
import { compiledModule } from "../paths.js";
import type { Scenario } from "../scenario/schema.js";
import type { ArrivalTask } from "./arrivals.js";
import type { ArrivalsWorkerData } from "./arrivals-worker.js";
import {
  generatedPlan,
  policyOf,
  runScenario,
  runWindow,
  type ScenarioInputs,
  type ScenarioRun,
  withResidence,
} from "./run.js";
import { Applications, type ArrivalBatch } from "./store.js";
import { type RunResult, simulation } from "./timeline.js";

/**
 * Below this many generated applications a run stays on one thread: a worker needs ≈0.5 s to start and
 * warm up, and the two workers and this thread share two vCPUs. Measured on the shared 2-core VM
 * (2026-12-06, 10 quarters): 1M applications 1.02 s in this thread against 1.35 s with two workers,
 * 2.5M 2.06 against 2.20 s, 5M 3.69 against 3.36 s (10M: ≈8.0 against ≈5.7 s).
 */
export const PARALLEL_FROM_APPLICATIONS = 3_000_000;

export interface ParallelRunOptions {
  /** run seed (default: the scenario's) */
  seed?: string | number;
  /** threads generating arrivals (default: the number of cores; 1 = all in this thread) */
  threads?: number;
  /** fewest generated applications for which workers are started (default PARALLEL_FROM_APPLICATIONS) */
  minApplications?: number;
  /** called after each quarter's arrivals are in: (quarters done, quarters with arrivals) */
  onProgress?: (done: number, total: number) => void;
}

/** A run, with the number of worker threads that made its arrivals (0: made in this thread). */
export interface ParallelRun extends ScenarioRun {
  arrivalThreads: number;
}

/**
 * runScenario with a generated pool made on worker threads: each worker generates, scores and
 * reduces whole quarters (a few ahead of the engine), and this thread appends them in order and runs
 * the engine quarter by quarter as they arrive. The result is the same, byte for byte, as
 * runScenario's: a quarter's applicants depend only on (seed, applicant index). CSV pools, small
 * runs, one thread, or a package without its compiled dist/ run in this thread.
 */
export async function runScenarioParallel(
  scenario: Scenario,
  inputs: ScenarioInputs,
  opts: ParallelRunOptions = {},
): Promise<ParallelRun> {
  const seed = opts.seed ?? scenario.seed;
  const threads = opts.threads ?? availableParallelism();
  const script = compiledModule(import.meta.url, "arrivals-worker.js");
  const spec = inputs.spec;
  const inThread = (): ParallelRun => ({ ...runScenario(scenario, inputs, { seed }), arrivalThreads: 0 });
  if (!spec || threads < 2 || !script) return inThread();
  const { poolSeed, tasks, total, options } = generatedPlan(scenario, inputs, seed);
  if (total < (opts.minApplications ?? PARALLEL_FROM_APPLICATIONS) || tasks.size < 2) return inThread();

  const policy = policyOf(scenario, runWindow(scenario, inputs), scenario.name, inputs.ruleBook);
  const apps = new Applications(total);
  const data: ArrivalsWorkerData = {
    spec,
    datedSpecs: [...(inputs.datedSpecs ?? new Map()).entries()],
    ruleSets: inputs.ruleBook.ruleSets,
    talentLists: inputs.ruleBook.talentLists,
    options,
    poolSeed,
  };
  const workers = Math.min(threads, tasks.size);
  let source: WorkerArrivals | null = null;
  let result: RunResult;
  try {
    source = new WorkerArrivals(script, workers, data, [...tasks.values()]);
    let done = 0;
    const steps = simulation(apps, policy, seed);
    let step = steps.next();
    while (!step.done) {
      if (tasks.has(step.value)) {
        apps.append(await source.batch(step.value));
        opts.onProgress?.(++done, tasks.size);
      }
      step = steps.next();
    }
    result = step.value;
  } finally {
    await source?.close();
  }
  return withResidence({ scenario, seed, inputs, result, arrivalThreads: workers });
}

interface Pending {
  promise: Promise<ArrivalBatch>;
  resolve: (b: ArrivalBatch) => void;
  reject: (e: Error) => void;
}

/**
 * Hands quarters to workers in date order, each to the least busy worker, with at most AHEAD per
 * worker made or being made and not yet taken by the engine: memory holds a few quarters whatever the
 * run's length.
 */
class WorkerArrivals {
  private static readonly AHEAD = 2;
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight: number[];
  private next = 0;
  private failure: Error | null = null;
  private closing = false;

  constructor(
    script: string,
    count: number,
    data: ArrivalsWorkerData,
    private readonly tasks: ArrivalTask[],
  ) {
    this.inFlight = new Array<number>(count).fill(0);
    for (let w = 0; w < count; w++) {
      let worker: Worker;
      try {
        worker = new Worker(script, { workerData: data });
      } catch (err) {
        // the workers already started would keep the process alive
        this.closing = true;
        for (const started of this.workers) void started.terminate();
        throw err;
      }
      worker.on("message", (reply: { quarter: number; batch?: ArrivalBatch; error?: PostedError }) => {
        this.inFlight[w]!--;
        const p = this.pending.get(reply.quarter);
        if (reply.error !== undefined) this.fail(new WorkerError(reply.error.message, reply.error.exitCode));
        else p?.resolve(reply.batch!);
      });
      worker.on("error", (err) => this.fail(new WorkerError(`arrivals worker failed: ${err.message}`)));
      worker.on("exit", (code) => {
        if (code !== 0 && !this.closing)
          this.fail(new WorkerError(`arrivals worker exited with code ${code}`));
      });
      this.workers.push(worker);
    }
    this.dispatch();
  }

  /** The batch of `quarter` (tasks must be asked for in date order). */
  async batch(quarter: number): Promise<ArrivalBatch> {
    if (this.failure) throw this.failure;
    const p = this.pending.get(quarter);
    if (!p) throw new Error(`no arrivals task for quarter ${quarter}`);
    const batch = await p.promise;
    this.pending.delete(quarter);
    this.dispatch();
    return batch;
  }

  private dispatch(): void {
    while (this.next < this.tasks.length && !this.failure) {
      if (this.pending.size >= this.workers.length * WorkerArrivals.AHEAD) return;
      // to the least busy worker
      let w = 0;
      for (let i = 1; i < this.inFlight.length; i++) if (this.inFlight[i]! < this.inFlight[w]!) w = i;
      const task = this.tasks[this.next++]!;
      let resolve!: (b: ArrivalBatch) => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<ArrivalBatch>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // a rejection nobody awaits yet must not crash the process; batch() rethrows it
      promise.catch(() => {});
      this.pending.set(task.quarter, { promise, resolve, reject });
      this.inFlight[w]!++;
      this.workers[w]!.postMessage(task);
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
