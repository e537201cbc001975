import { availableParallelism, totalmem } from "node:os";

/**
 * Every size limit of the package, in one place (docs/errors-and-limits.md lists them with the error
 * each one gives). They are far above any real QMAS figure (a few thousand applications a quarter)
 * and well below what would exhaust memory or run for days; each is checked when the input is
 * validated, before any work, and its error names the key or flag and the limit.
 */
export const LIMITS = {
  /** pool.arrivals_per_quarter of a scenario */
  arrivalsPerQuarter: 10_000_000,
  /** pool.seasonal multipliers */
  seasonalMultiplier: 100,
  /** applications of one run: a CSV pool's rows, or a spec pool's expected arrivals over the period */
  applicationsPerRun: 50_000_000,
  /** rows of an applicant CSV (score, explain, run) */
  poolRows: 50_000_000,
  /** generate --count */
  generateCount: 50_000_000,
  /** quarters of a scenario's period (given as quarters or reached through `to`) */
  quarters: 400,
  /** --replications of run, compare and sweep */
  replications: 100_000,
  /** cells of a sweep grid (product of the --vary value counts) */
  sweepCells: 1_000,
  /** scenario runs of one experiment: scenarios (or cells) × replications */
  experimentRuns: 1_000_000,
  /** bytes of a YAML file (scenario, rule set, Talent List, distribution spec) */
  yamlBytes: 4 * 1024 * 1024,
  /** YAML aliases (*name) expanded in one file: an "alias bomb" expands a few lines into gigabytes */
  yamlAliases: 100,
} as const;

/** Threads worth starting: one per core (more only share the same cores). */
export function coreCount(): number {
  return availableParallelism();
}

/**
 * Memory a run may be expected to need before it starts, in bytes: measured peaks (resident set) of
 * `run` on Node 20, rounded up: ≈150 MB for the process, about 100 bytes per application of a
 * generated pool and 400 per row of a CSV pool (kept as columns while it is scored), 200 per applicant
 * of `generate` (the pool is held whole, then written); experiments hold one run per thread at a time.
 */
export const MEMORY_MODEL = {
  baseBytes: 150e6,
  perGeneratedApplication: 100,
  perCsvRow: 400,
  perGeneratedPoolRow: 200,
} as const;

/** Default budget for that estimate: half the machine's memory (--max-memory changes it). */
export function defaultMemoryBudgetBytes(): number {
  return Math.floor(totalmem() / 2);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${Math.ceil(bytes / 1e6)} MB`;
}

/** A count with thousands separators, as limits are written in messages. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
