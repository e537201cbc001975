import { resolveScenario } from "../experiments/resolve.js";
import { defaultJobs } from "../experiments/workers.js";
import { UsageError } from "./usage-error.js";

/** Flags shared by compare, sweep and rerun. */
export interface ExperimentFlags {
  replications: string;
  seed?: string;
  jobs?: string;
  out?: string;
  quiet?: boolean;
  shard?: string;
}

export const DEFAULT_REPLICATIONS = 30;

export function positiveInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag} expects a positive whole number (got '${text}')`);
  return n;
}

export function jobsOf(flags: { jobs?: string }): number {
  return flags.jobs === undefined ? defaultJobs() : positiveInteger(flags.jobs, "--jobs");
}

/** The master seed: --seed, else the seed of the (first) scenario, as text. */
export function masterSeedOf(flags: { seed?: string }, scenarioFile: string): string {
  if (flags.seed !== undefined) {
    if (flags.seed.trim() === "") throw new UsageError("--seed needs a value");
    return flags.seed;
  }
  return String(resolveScenario(scenarioFile).scenario["seed"]);
}
