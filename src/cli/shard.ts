import type { ExperimentSpec } from "../experiments/manifest.js";
import { type ShardReport, shardSummary, writeShard } from "../experiments/shard.js";
import type { Shard } from "../experiments/shard-plan.js";
import { type ExperimentFlags, jobsOf } from "./experiment-flags.js";
import { startProgress } from "./progress.js";
import { UsageError } from "./usage-error.js";

/**
 * `--shard i/N` (1-based) or `--shard env/N`, the index then read from the batch engine's environment:
 * the first set of these, each 0-based as the engines hand them out.
 */
export const SHARD_INDEX_VARIABLES = [
  "JOB_COMPLETION_INDEX", // Kubernetes Indexed Job
  "AWS_BATCH_JOB_ARRAY_INDEX", // AWS Batch array job
  "BATCH_TASK_INDEX", // Google Cloud Batch
  "SLURM_ARRAY_TASK_ID", // Slurm job array, run as --array=0-(N-1)
] as const;

export const SHARD_OPTION = [
  "--shard <i/N>",
  "run shard i of N (1-based), or env/N: the index from the batch engine's environment (0-based JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, BATCH_TASK_INDEX or SLURM_ARRAY_TASK_ID); writes shard-i-of-N/ inside --out (default reports/<experiment>-shards) for `qmas-sim merge`; see docs/sharding.md",
] as const;

const wholeNumber = (text: string) => (/^\d+$/.test(text) ? Number(text) : Number.NaN);

export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const match = /^\s*([^/\s]+)\s*\/\s*(\S+)\s*$/.exec(text);
  const count = match ? wholeNumber(match[2]!) : Number.NaN;
  if (!match || !Number.isSafeInteger(count) || count < 1)
    throw new UsageError(`--shard expects i/N or env/N with N a positive whole number (got '${text}')`);
  if (match[1] === "env") {
    const name = SHARD_INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== "");
    if (name === undefined)
      throw new UsageError(`--shard env/${count}: none of ${SHARD_INDEX_VARIABLES.join(", ")} is set`);
    const zeroBased = wholeNumber(env[name]!.trim());
    if (!Number.isSafeInteger(zeroBased) || zeroBased >= count)
      throw new UsageError(
        `--shard env/${count}: ${name}=${env[name]} is not an index from 0 to ${count - 1} (0-based)`,
      );
    return { index: zeroBased + 1, count };
  }
  const index = wholeNumber(match[1]!);
  if (!Number.isSafeInteger(index) || index < 1 || index > count)
    throw new UsageError(`--shard ${text}: i must be a whole number from 1 to ${count} (1-based)`);
  return { index, count };
}

/** Run one shard of the experiment a command describes, and say where it went. */
export async function shardCommand(
  spec: ExperimentSpec,
  flags: Pick<ExperimentFlags, "jobs" | "out" | "quiet"> & { shard: string },
): Promise<ShardReport> {
  const shard = parseShard(flags.shard);
  const progress = startProgress(`shard ${shard.index}/${shard.count}`, { quiet: flags.quiet });
  let report: ShardReport;
  try {
    report = await writeShard(spec, shard, {
      outDir: flags.out,
      jobs: jobsOf(flags),
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  process.stdout.write(`shard written to ${report.outDir}/ (${report.files.join(", ")})\n`);
  if (!flags.quiet) process.stdout.write(`${shardSummary(report.manifest)}\n`);
  return report;
}
