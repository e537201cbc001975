import { resolveScenario } from "../experiments/resolve.js";
import { defaultJobs } from "../experiments/workers.js";
import { coreCount, formatCount, LIMITS } from "../limits.js";
import { UsageError } from "./usage-error.js";

/** Flags shared by compare, sweep and rerun. */
export interface ExperimentFlags {
  replications: string;
  seed?: string;
  jobs?: string;
  out?: string;
  quiet?: boolean;
  shard?: string;
  force?: boolean;
  maxMemory?: string;
}

export const FORCE_HELP =
  "write into the output folder even when it holds another run or other files (its files of the same names are replaced)";

/** --max-memory <MB>, for commands that check their memory estimate before starting. */
export const MAX_MEMORY_HELP =
  "memory budget in MB for the estimate checked before the run starts (default: half this machine's memory)";

export const DEFAULT_REPLICATIONS = 30;

export function positiveInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag} expects a positive whole number (got '${text}')`);
  return n;
}

/** --replications: a positive whole number up to LIMITS.replications. */
export function replicationsOf(text: string): number {
  const n = positiveInteger(text, "--replications");
  if (n > LIMITS.replications)
    throw new UsageError(
      `--replications ${formatCount(n)} is above the limit of ${formatCount(LIMITS.replications)}`,
    );
  return n;
}

/** --jobs, capped at the number of cores (more threads would only share them), with a note when capped. */
export function jobsOf(flags: { jobs?: string }): number {
  if (flags.jobs === undefined) return defaultJobs();
  const asked = positiveInteger(flags.jobs, "--jobs");
  const cores = coreCount();
  if (asked <= cores) return asked;
  process.stderr.write(
    `note: --jobs ${formatCount(asked)} capped at ${cores}, the number of cores (results are the same for any value)\n`,
  );
  return cores;
}

/** The master seed: --seed, else the seed of the (first) scenario, as text. */
export function masterSeedOf(flags: { seed?: string }, scenarioFile: string): string {
  if (flags.seed !== undefined) {
    if (flags.seed.trim() === "") throw new UsageError("--seed needs a value");
    return flags.seed;
  }
  return String(resolveScenario(scenarioFile).scenario["seed"]);
}
