import { parseMaxMemory } from "../experiments/estimate.js";
import type { ExperimentReport } from "../experiments/experiment.js";
import type { ExperimentSpec } from "../experiments/manifest.js";
import { writeExperimentReport } from "../experiments/reports.js";
import { type ExperimentFlags, jobsOf } from "./experiment-flags.js";
import { startProgress } from "./progress.js";

/**
 * Run an experiment and write its folder with a progress bar on stderr, the output options taken from
 * the flags every experiment command shares (--out, --jobs, --force, --max-memory, --quiet).
 */
export async function writeReportWithProgress(
  label: string,
  spec: ExperimentSpec,
  flags: Omit<ExperimentFlags, "replications">,
): Promise<ExperimentReport> {
  const progress = startProgress(label, { quiet: flags.quiet });
  try {
    return await writeExperimentReport(spec, {
      outDir: flags.out,
      jobs: jobsOf(flags),
      onProgress: progress.update,
      force: flags.force,
      maxMemoryMb: parseMaxMemory(flags.maxMemory),
    });
  } finally {
    progress.stop();
  }
}
