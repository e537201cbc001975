import { parentPort, workerData } from "node:worker_threads";
import { postedError } from "../errors.js";
import type { ResolvedScenario } from "../scenario/extends.js";
import type { RunMetrics } from "./metrics.js";
import type { Model, ModelModule, Task } from "./workers.js";

/**
 * Worker thread entry (compiled to dist/experiments/worker.js). It imports the model module once,
 * prepares each unit the first time a task needs it (the pool is read or the rule book built once per
 * worker, never per replication) and answers one message per task.
 */
const { units, dataDir, modelModule, shared } = workerData as {
  units: ResolvedScenario[];
  dataDir: string;
  modelModule: string;
  shared: unknown;
};
const { prepareModel, adoptInputs } = (await import(modelModule)) as ModelModule;
// what the main thread loaded for these units (see ModelModule): taken before the first preparation
if (shared !== undefined) adoptInputs?.(shared);
/** per unit, the model being prepared or ready; messages that arrive meanwhile wait on the same promise */
const models = new Map<number, Promise<Model>>();

parentPort!.on("message", async (msg: { index: number; task: Task }) => {
  try {
    let model = models.get(msg.task.unit);
    if (!model) {
      model = prepareModel(units[msg.task.unit]!, dataDir);
      models.set(msg.task.unit, model);
    }
    const metrics: RunMetrics = (await model)(msg.task.seed);
    parentPort!.postMessage({ index: msg.index, metrics });
  } catch (err) {
    parentPort!.postMessage({ index: msg.index, error: postedError(err) });
  }
});
