import { parentPort, workerData } from "node:worker_threads";
import type { DistributionSpec } from "../applicants/generate/index.js";
import { postedError } from "../errors.js";
import { RuleBook } from "../rules/book.js";
import type { RuleSet, TalentList } from "../rules/types.js";
import { type ArrivalTask, arrivalBatch, type ScoreOptions } from "./arrivals.js";
import { batchBuffers } from "./store.js";

/**
 * Worker thread entry (compiled to dist/simulation/arrivals-worker.js) for runScenarioParallel: it
 * generates, scores and reduces the quarters it is sent and transfers each batch's buffers back.
 */
export interface ArrivalsWorkerData {
  spec: DistributionSpec;
  /** the specs the timeline switches to, by id */
  datedSpecs: [string, DistributionSpec][];
  ruleSets: RuleSet[];
  talentLists: TalentList[];
  options: ScoreOptions;
  poolSeed: string | number;
}

const data = workerData as ArrivalsWorkerData;
// the rule sets were validated where the book was first built; structured cloning keeps them as data
const ruleBook = new RuleBook(data.ruleSets, data.talentLists);
const datedSpecs = new Map(data.datedSpecs);

parentPort!.on("message", (task: ArrivalTask) => {
  try {
    const spec = task.spec === undefined ? data.spec : datedSpecs.get(task.spec);
    if (!spec) throw new Error(`spec '${task.spec}' was not sent to the worker`);
    const batch = arrivalBatch(spec, ruleBook, data.options, data.poolSeed, task);
    parentPort!.postMessage({ quarter: task.quarter, batch }, batchBuffers(batch));
  } catch (err) {
    // a QmasError keeps its line and exit code (a usage error is still exit 2 on the parallel path)
    parentPort!.postMessage({ quarter: task.quarter, error: postedError(err) });
  }
});
