import {
  type Principals,
  type ResidenceInputs,
  type ResidenceResult,
  readResidence,
  simulateResidence,
} from "../residence/index.js";
import { ALLOTTED, type RunResult } from "./timeline.js";

/**
 * The hook between a finished run and the residence pipeline (src/residence): the run's allotted
 * principals as the pipeline reads them, and the quarters its tables cover. The pipeline runs after
 * the run, from its own random stream, so it never changes what the selection drew.
 */

/** The allotted principals of a run, in application order (key = application number). */
export function allottedPrincipals(result: RunResult): Principals {
  const { apps, decision, waitDays } = result;
  let n = 0;
  for (let g = 0; g < apps.size; g++) if (decision[g] === ALLOTTED) n++;
  const p: Principals = {
    count: n,
    key: new Int32Array(n),
    approvedOn: new Int32Array(n),
    route: new Uint8Array(n),
    age: new Uint8Array(n),
    income: new Float64Array(n),
    persons: new Uint8Array(n),
  };
  let i = 0;
  for (let g = 0; g < apps.size; g++) {
    if (decision[g] !== ALLOTTED) continue;
    p.key[i] = g;
    p.approvedOn[i] = apps.appliedOn[g]! + waitDays[g]!;
    p.route[i] = apps.route[g]!;
    p.age[i] = apps.age[g]!;
    p.income[i] = apps.income[g]!;
    p.persons[i] = apps.persons[g]!;
    i++;
  }
  return p;
}

/** The quarters the residence tables cover: from the run's first to `horizonYears` after its last exercise. */
export function residenceWindow(
  result: RunResult,
  horizonYears: number,
): { firstQuarter: number; quarters: number } {
  const { policy, rounds } = result;
  let last = policy.firstQuarter + policy.quarters - 1;
  for (let k = rounds.length - 1; k >= 0; k--) {
    if (rounds[k]!.exercise) {
      last = rounds[k]!.quarter;
      break;
    }
  }
  return { firstQuarter: policy.firstQuarter, quarters: last + 4 * horizonYears - policy.firstQuarter + 1 };
}

/**
 * The residence pipeline of a finished run: its allotted principals' paths (random draws from the
 * run seed's own "residence" stream, per principal by application number) read quarter by quarter.
 */
export function residenceOfRun(
  result: RunResult,
  inputs: ResidenceInputs,
  seed: string | number,
): ResidenceResult {
  const paths = simulateResidence(allottedPrincipals(result), inputs.plan, seed);
  const w = residenceWindow(result, inputs.horizonYears);
  return readResidence(paths, w.firstQuarter, w.quarters);
}
