/**
 * After allotment: arrival, stays, extensions and permanent residence of each allotted principal
 * (with the dependants who follow them). The one public entry of src/residence.
 */
import type { ResidenceConfig } from "../scenario/schema.js";
import { type LoadedResidenceData, loadResidenceData } from "./load.js";
import { compilePlan, type ResidencePlan } from "./plan.js";
import type { ResidenceResult } from "./result.js";

export { RESIDENCE_RNG_ALGORITHM } from "./draws.js";
export { figureValue as residenceFigure, RESIDENCE_FIGURE_METRICS } from "./figures.js";
export {
  type LoadedResidenceData,
  loadResidenceData,
  parseResidenceData,
  ResidenceDataError,
  residenceDataFile,
} from "./load.js";
export { compilePlan, type ResidencePlan } from "./plan.js";
export {
  RESIDENCE_COLUMNS,
  type ResidenceCohort,
  type ResidenceQuarter,
  type ResidenceResult,
  type ResidenceTotals,
  readResidence,
  residenceCohorts,
  residenceQuarters,
  residenceTotals,
} from "./result.js";
export type { ResidenceData } from "./schema.js";
export {
  NOT_YET,
  type Principals,
  RESIDENCE_STATES,
  type ResidencePaths,
  type ResidenceState,
  simulateResidence,
  stateAt,
} from "./simulate.js";

/** What a run needs to simulate residence: the data file read and the plan compiled for the scenario. */
export interface ResidenceInputs {
  file: string;
  data: LoadedResidenceData["data"];
  plan: ResidencePlan;
  horizonYears: number;
}

/** Load the residence data a scenario names and compile its plan; undefined when residence is off. */
export function residenceInputs(
  config: ResidenceConfig | undefined,
  dataDir = "data",
  loaded?: LoadedResidenceData,
): ResidenceInputs | undefined {
  if (!config || !config.enabled) return undefined;
  const { data, file } = loaded ?? loadResidenceData(config.data, dataDir);
  return { file, data, plan: compilePlan(data, config), horizonYears: config.horizon_years };
}

/** The application number → index of each allotted principal in a residence result (-1 = not allotted). */
export function principalIndexOf(result: ResidenceResult, applications: number): Int32Array {
  const out = new Int32Array(applications).fill(-1);
  const key = result.paths.principals.key;
  for (let i = 0; i < key.length; i++) out[key[i]!] = i;
  return out;
}
