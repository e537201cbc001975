import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { WorkerError } from "../../src/errors.js";
import type { RunMetrics } from "../../src/experiments/metrics.js";
import { executeTasks, type Task } from "../../src/experiments/workers.js";
import type { ResolvedScenario } from "../../src/scenario/extends.js";

// executeTasks with jobs > 1: this thread and jobs − 1 workers share the tasks (workers need dist/,
// which `npm test` builds first)
const modelModule = pathToFileURL(join("test", "experiments", "fixtures", "fake-model.mjs")).href;
const unit = (name: string) => ({ name }) as unknown as ResolvedScenario;
const tasksOf = (seeds: string[]): Task[] =>
  seeds.map((seed, replication) => ({ unit: 0, replication, seed }));
const seedOf = (m: RunMetrics) => m[0]!.rows[0]![0];
const threadOf = (m: RunMetrics) => m[0]!.rows[0]![1] as number;

describe("executeTasks on this thread and workers", () => {
  it("returns every result once, in task order, from more than one thread, with progress counting up", async () => {
    const seeds = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const progress: number[] = [];
    const run = await executeTasks([unit("a")], tasksOf(seeds), {
      jobs: 2,
      dataDir: "data",
      modelModule,
      workersFrom: 0,
      onProgress: (d) => progress.push(d),
    });
    expect(run.mode).toBe("workers");
    expect(run.results.map(seedOf)).toEqual(seeds);
    expect(new Set(run.results.map(threadOf)).size).toBe(2);
    expect(progress).toEqual(Array.from({ length: 41 }, (_, i) => i));
  });

  it("hands every worker what this thread loaded for the units (shareInputs → adoptInputs)", async () => {
    const seeds = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const run = await executeTasks(
      [unit("a"), unit("b")],
      [...tasksOf(seeds), ...tasksOf(seeds).map((t) => ({ ...t, unit: 1 }))],
      { jobs: 2, dataDir: "data", modelModule, workersFrom: 0 },
    );
    const adopted = (m: RunMetrics) => m[0]!.rows[0]![2];
    const onWorkers = run.results.filter((m) => threadOf(m) !== 0);
    expect(onWorkers.length).toBeGreaterThan(0);
    for (const m of onWorkers) expect(adopted(m)).toBe("0:a+b");
    // this thread loaded its inputs itself
    for (const m of run.results.filter((r) => threadOf(r) === 0)) expect(adopted(m)).toBeNull();
  });

  it("spreads a few tasks over every thread instead of queueing them on the first worker", async () => {
    const run = await executeTasks([unit("a")], tasksOf(["x", "y", "z"]), {
      jobs: 3,
      dataDir: "data",
      modelModule,
      workersFrom: 0,
    });
    expect(run.results.map(seedOf)).toEqual(["x", "y", "z"]);
    expect(new Set(run.results.map(threadOf)).size).toBeGreaterThanOrEqual(2);
  });

  it("a task failing in a worker rejects once, and nothing is reported after", async () => {
    // this thread prepares slowly, so the worker's failure comes first
    const progress: number[] = [];
    const run = executeTasks([unit("slow-here")], tasksOf(["boom", "ok1", "ok2", "ok3"]), {
      jobs: 2,
      dataDir: "data",
      modelModule,
      workersFrom: 0,
      onProgress: (d) => progress.push(d),
    });
    await expect(run).rejects.toBeInstanceOf(WorkerError);
    await expect(run).rejects.toThrow(/boom on thread [1-9]/);
    const after = progress.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(progress.length).toBe(after);
  });

  it("a task failing in this thread keeps its error type", async () => {
    // 2 threads, 2 tasks: the worker takes the first, this thread the second
    const run = executeTasks([unit("a")], tasksOf(["ok", "boom"]), {
      jobs: 2,
      dataDir: "data",
      modelModule,
      workersFrom: 0,
    });
    await expect(run).rejects.toBeInstanceOf(RangeError);
    await expect(run).rejects.toThrow(/boom on thread 0/);
  });

  it("runs a small experiment in this thread alone, and starts workers once its first tasks show enough work", async () => {
    const seeds = Array.from({ length: 30 }, (_, i) => `s${i}`);
    const small = await executeTasks([unit("a")], tasksOf(seeds), { jobs: 2, dataDir: "data", modelModule });
    expect(small.mode).toBe("in-thread");
    expect(small.workers).toBe(0);
    expect(new Set(small.results.map(threadOf))).toEqual(new Set([0]));
    // any estimate exceeds a threshold of 1 ns (three times over): workers start after the 4 tasks of
    // the early probe, all run here
    const large = await executeTasks([unit("a")], tasksOf(seeds), {
      jobs: 2,
      dataDir: "data",
      modelModule,
      workersFrom: 1e-9,
    });
    expect(large.mode).toBe("workers");
    expect(large.workers).toBe(2);
    expect(large.results.map(seedOf)).toEqual(seeds);
    expect(large.results.slice(0, 4).map(threadOf)).toEqual(Array(4).fill(0));
    // the worker is handed the next task the moment it starts
    expect(threadOf(large.results[4]!)).not.toBe(0);
  });

  it("starts workers at once for a few tasks, and no more workers than tasks beside this thread", async () => {
    const two = await executeTasks([unit("a")], tasksOf(["p", "q"]), {
      jobs: 2,
      dataDir: "data",
      modelModule,
    });
    expect(two.mode).toBe("workers");
    expect(new Set(two.results.map(threadOf)).size).toBe(2);
    const three = await executeTasks([unit("a")], tasksOf(["p", "q", "r"]), {
      jobs: 4,
      dataDir: "data",
      modelModule,
    });
    expect(three.workers).toBe(3);
    expect(three.results.map(seedOf)).toEqual(["p", "q", "r"]);
  });

  it("decides once this thread has spent the probe time on long tasks", async () => {
    // 6 tasks of 200 ms on 2 threads: after 3 here (600 ms ≥ 500 ms), 3 × 200 ms left > 0.3 s
    const seeds = Array.from({ length: 6 }, () => "sleep:200");
    const run = await executeTasks([unit("a")], tasksOf(seeds), {
      jobs: 2,
      dataDir: "data",
      modelModule,
      workersFrom: 0.3,
    });
    expect(run.mode).toBe("workers");
    expect(run.results.slice(0, 3).map(threadOf)).toEqual([0, 0, 0]);
    expect(threadOf(run.results[3]!)).not.toBe(0);
  });
});
