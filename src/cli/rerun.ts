import type { Command } from "commander";
import { rerunManifest } from "../experiments/rerun.js";
import { action } from "./common.js";
import { jobsOf } from "./compare.js";
import { startProgress } from "./progress.js";

export function registerRerun(program: Command): void {
  program
    .command("rerun")
    .description(
      "run the experiment recorded in a manifest.json again (same scenarios, seeds and replications) and check that every output file is byte for byte the same",
    )
    .argument("<manifest>", "manifest.json of a compare, sweep or replications folder")
    .option("--out <dir>", "write the new files here instead of over the original folder")
    .option("--jobs <n>", "worker threads (default: the number of cores; results are the same for any value)")
    .option("--quiet", "no progress bar")
    .addHelpText("after", "\nExample:\n  $ qmas-sim rerun reports/baseline-vs-quota-doubled/manifest.json --out /tmp/check")
    .action(
      action(async (file: string, flags: { out?: string; jobs?: string; quiet?: boolean }) => {
        const progress = startProgress("rerun", { quiet: flags.quiet });
        let result: Awaited<ReturnType<typeof rerunManifest>>;
        try {
          result = await rerunManifest(file, { outDir: flags.out, jobs: jobsOf(flags), onProgress: progress.update });
        } finally {
          progress.stop();
        }
        if (result.different.length === 0) {
          process.stdout.write(`reproduced byte for byte in ${result.report.outDir}/: ${result.identical.join(", ")}\n`);
          return;
        }
        process.stderr.write(`not reproduced: ${result.different.join(", ")} differ (identical: ${result.identical.join(", ") || "none"})\n`);
        process.exitCode = 1;
      }),
    );
}
