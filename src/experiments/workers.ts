import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type PostedError, WorkerError } from "../errors.js";
import { compiledModule } from "../paths.js";
import type { ResolvedScenario } from "../scenario/extends.js";
import type { RunMetrics } from "./metrics.js";

/**
 * Runs replications on this thread and worker threads. Each task is (unit, replication, seed) where a unit is one
 * resolved scenario (a side of a comparison, a cell of a sweep). Workers prepare each unit once (rule
 * book built, CSV pool read) and then run only seeds; results are stored by task index, so the output
 * is the same whatever order tasks finish in and whatever the number of workers.
 */
export interface Task {
  unit: number;
  replication: number;
  seed: string;
}

/**
 * A model module exports `prepareModel(unit, dataDir)`: it loads what the unit reads from disk once
 * and returns the model `(seed) → RunMetrics`. The pool is handed the module it runs (by file URL, so
 * worker threads can load it) and imports nothing from it; the experiments' model is ./model.ts.
 */
export type Model = (seed: string) => RunMetrics;
export type PrepareModel = (unit: ResolvedScenario, dataDir: string) => Promise<Model>;

/**
 * What a model module exports. Optionally `shareInputs` (called on this thread when workers start)
 * returns what it loaded for the units, structured-cloned into every worker, where `adoptInputs`
 * takes it before the first `prepareModel`: workers then neither read nor validate those files again.
 */
export interface ModelModule<Shared = unknown> {
  prepareModel: PrepareModel;
  shareInputs?: (units: readonly ResolvedScenario[], dataDir: string) => Shared;
  adoptInputs?: (shared: Shared) => void;
}

export interface ExecuteOptions {
  /** threads running tasks: this one and jobs − 1 workers (1 = this thread only) */
  jobs: number;
  /** folder holding rules/, talent-lists/ and distributions/ */
  dataDir: string;
  onProgress?: (done: number, total: number) => void;
  /** file URL of the model module the workers load (compiled JavaScript) */
  modelModule: string;
  /** the model in this thread, for jobs = 1 or no dist/ (default: imported from modelModule) */
  prepareInThread?: PrepareModel;
  /**
   * Start workers only when the tasks left would take this thread longer than this many seconds, as
   * timed on its first tasks (default WORKERS_FROM_SECONDS; 0 starts them at once).
   */
  workersFrom?: number;
}

/**
 * Workers cost more than they save on small experiments: each needs ≈0.3 s to load and prepare,
 * then runs its first ~100 replications cold, while slowing this thread down on a 2-core machine. The
 * baseline broke even at 200–400 replications (30: 1.1 s in this thread, 1.4 s with a worker; 200:
 * 2.0 s against 2.4 s; 400: 3.3 against 3.2 s; 1,000: 6.5 s against 5.3 s). The estimate comes from
 * still-cold tasks (≈22 ms a baseline replication around the tenth, ≈5 ms warm), so 10 s estimated
 * is ≈450–800 baseline replications, depending on how fast the first ones run.
 */
export const WORKERS_FROM_SECONDS = 10;
/** tasks this thread runs before deciding (or ms spent on tasks), and how many of the latest it averages */
const PROBE_TASKS = 10;
const PROBE_MS = 500;
const RECENT = 5;
const EARLY_TASKS = 4;
/** at most this many tasks per thread: workers start at once (see onWorkers) */
const FEW_TASKS_PER_THREAD = 2;

export interface Execution {
  results: RunMetrics[];
  /**
   * how the tasks actually ran: "workers" when worker threads were started (they need the compiled
   * dist/; see workerScript), "in-thread" when jobs was 1, dist/ was missing or the work too small
   */
  mode: "in-thread" | "workers";
  /** threads that ran tasks: this one and workers − 1 worker threads (0 in-thread) */
  workers: number;
}

export function defaultJobs(): number {
  return availableParallelism();
}

/** The worker script (compiled JavaScript), or undefined when it has not been built. */
export function workerScript(): string | undefined {
  return compiledModule(import.meta.url, "worker.js");
}

interface TaskReply {
  index: number;
  metrics?: RunMetrics;
  error?: PostedError;
}

/** The model this thread runs: the one handed over, else the model module's. */
async function threadPreparer(opts: ExecuteOptions): Promise<PrepareModel> {
  if (opts.prepareInThread) return opts.prepareInThread;
  return ((await import(opts.modelModule)) as { prepareModel: PrepareModel }).prepareModel;
}

/** Models of this thread, prepared the first time a unit is met. */
function modelsOf(
  units: readonly ResolvedScenario[],
  prepare: PrepareModel,
  dataDir: string,
): (unit: number) => Promise<Model> {
  const models = new Map<number, Promise<Model>>();
  return (unit) => {
    let model = models.get(unit);
    if (!model) {
      model = prepare(units[unit]!, dataDir);
      models.set(unit, model);
    }
    return model;
  };
}

async function inThread(
  units: readonly ResolvedScenario[],
  tasks: readonly Task[],
  opts: ExecuteOptions,
): Promise<RunMetrics[]> {
  const modelFor = modelsOf(units, await threadPreparer(opts), opts.dataDir);
  const results: RunMetrics[] = [];
  for (const [i, task] of tasks.entries()) {
    results.push((await modelFor(task.unit))(task.seed));
    opts.onProgress?.(i + 1, tasks.length);
  }
  return results;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `count` executors share the tasks: this thread and, once the work is known to be large enough
 * (workersFrom), count − 1 workers. This thread works too, rather than waiting on one worker per
 * core: on 2 cores it saves a worker's start (≈0.1 s to load the modules, then a cold JIT for its
 * first ~100 replications, both while the other core is busy). It yields between its tasks so the
 * workers' replies are taken without delay. Returns the results and the number of threads that ran.
 */
function onWorkers(
  script: string,
  count: number,
  units: readonly ResolvedScenario[],
  tasks: readonly Task[],
  opts: ExecuteOptions,
  model: { module: ModelModule; url: string },
): Promise<{ results: RunMetrics[]; threads: number }> {
  return new Promise((resolvePromise, reject) => {
    const results: RunMetrics[] = new Array(tasks.length);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    let finished = false;
    const stopAll = () => Promise.all(workers.map((w) => w.terminate()));
    const fail = (err: Error) => {
      if (failed || finished) return;
      failed = true;
      void stopAll().finally(() => reject(err));
    };
    const completed = (index: number, metrics: RunMetrics) => {
      if (failed || finished) return;
      results[index] = metrics;
      done++;
      opts.onProgress?.(done, tasks.length);
      if (done === tasks.length) {
        finished = true;
        const threads = workers.length > 0 ? workers.length + 1 : 0;
        void stopAll().then(() => resolvePromise({ results, threads }), reject);
      }
    };
    const feed = (worker: Worker) => {
      if (next >= tasks.length) return;
      const index = next++;
      worker.postMessage({ index, task: tasks[index] });
    };
    let started = false;
    const startWorkers = () => {
      started = true;
      // this thread takes a task too, so no more workers than tasks left beside it
      const wanted = Math.min(count - 1, tasks.length - next - 1);
      let shared: unknown;
      try {
        // a data file this thread cannot load fails here as it would in a run on one thread
        if (wanted > 0) shared = model.module.shareInputs?.(units, opts.dataDir);
      } catch (err) {
        fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      for (let w = 0; w < wanted; w++) {
        let worker: Worker;
        try {
          worker = new Worker(script, {
            workerData: { units, dataDir: opts.dataDir, modelModule: model.url, shared },
          });
        } catch (err) {
          // the workers already started are stopped with the rest
          fail(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        workers.push(worker);
        worker.on("message", (reply: TaskReply) => {
          if (failed || finished) return;
          if (reply.error) {
            fail(new WorkerError(reply.error.message, reply.error.exitCode));
            return;
          }
          completed(reply.index, reply.metrics!);
          feed(worker);
        });
        worker.on("error", (err) => fail(err));
        worker.on("exit", (code) => {
          if (!failed && !finished && code !== 0)
            fail(new Error(`a replication worker stopped with exit code ${code}`));
        });
      }
      // two tasks in flight per worker keep it busy while this thread runs a task of its own; the first
      // round goes to every worker before the second, and a second only while there are more tasks
      // left than threads, so a few tasks spread over all threads, this one included
      for (const worker of workers) feed(worker);
      for (const worker of workers) if (tasks.length - next > count) feed(worker);
    };
    const threshold = opts.workersFrom ?? WORKERS_FROM_SECONDS;
    // a few tasks may each be long (a large pool, replicated twice): a worker start costs little next
    // to them, and waiting for the first to finish would lose its time
    if (threshold <= 0 || tasks.length <= FEW_TASKS_PER_THREAD * count) startWorkers();
    const runHere = async () => {
      const modelFor = modelsOf(units, model.module.prepareModel, opts.dataDir);
      // the last RECENT task times of this thread: the first tasks run cold (a baseline replication
      // ≈40 ms, then ≈20 ms by the tenth, ≈5 ms warm), so only the latest say what the rest will cost
      const recent = new Float64Array(RECENT);
      let ranHere = 0;
      let spentMs = 0;
      while (next < tasks.length && !failed) {
        const index = next++;
        const task = tasks[index]!;
        const model = await modelFor(task.unit);
        if (failed) return;
        const t = performance.now();
        completed(index, model(task.seed));
        if (!started) {
          const ms = performance.now() - t;
          spentMs += ms;
          recent[ranHere++ % RECENT] = ms;
          // decide after PROBE_TASKS tasks or PROBE_MS spent, or early when the work is clearly large
          // (EARLY_TASKS tasks, three times the threshold); then again after every task, as the
          // estimate falls while the thread warms up; never for a last task, which this thread takes
          const kept = Math.min(ranHere, RECENT);
          const left = ((tasks.length - next) * recent.reduce((x, y) => x + y, 0)) / kept / 1000;
          const probed = ranHere >= PROBE_TASKS || spentMs >= PROBE_MS;
          if (
            tasks.length - next >= 2 &&
            (probed ? left > threshold : ranHere >= EARLY_TASKS && left > 3 * threshold)
          )
            startWorkers();
        }
        await nextTurn();
      }
    };
    runHere().catch((err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));
  });
}

/**
 * Run every task and return the metrics in task order. With jobs > 1 the tasks run on this thread and,
 * when the work is large enough, on worker threads loading the compiled module from dist/; when dist/
 * has not been built (e.g. TypeScript sources under a test runner) they run in this thread and `mode`
 * says so. The results are the same whichever thread runs a task.
 */
export async function executeTasks(
  units: readonly ResolvedScenario[],
  tasks: readonly Task[],
  opts: ExecuteOptions,
): Promise<Execution> {
  const count = Math.max(1, Math.min(Math.floor(opts.jobs), tasks.length));
  opts.onProgress?.(0, tasks.length); // a progress bar appears before the first (slow) preparation
  const script = workerScript();
  if (count <= 1 || script === undefined) {
    return { results: await inThread(units, tasks, opts), mode: "in-thread", workers: 0 };
  }
  // the same compiled model module in every thread, this one included
  const url = opts.modelModule;
  const module = (await import(url)) as ModelModule;
  const { results, threads } = await onWorkers(script, count, units, tasks, opts, { module, url });
  return { results, mode: threads > 0 ? "workers" : "in-thread", workers: threads };
}
