import type { Command } from "commander";
import { rerunManifest } from "../experiments/rerun.js";
import { action } from "./common.js";
import { FORCE_HELP, jobsOf } from "./experiment-flags.js";
import { startProgress } from "./progress.js";

export function registerRerun(program: Command): void {
  program
    .command("rerun")
    .description(
      "run what a manifest.json records again (a run, compare, sweep or replications folder) and check that every file of the folder is byte for byte the same; the original folder is never written",
    )
    .argument("<manifest>", "manifest.json of a run, compare, sweep or replications folder")
    .option(
      "--out <dir>",
      "keep the re-run in this folder (default: a temporary folder, removed after the comparison)",
    )
    .option(
      "--jobs <n>",
      "threads running replications: this one and, when the experiment is large enough to gain, n − 1 workers (default: the number of cores; results are the same for any value)",
    )
    .option("--force", FORCE_HELP)
    .option("--quiet", "no progress bar")
    .addHelpText(
      "after",
      "\nExit status 0 when every file is identical, 1 when any differs (one line per file on stderr).\n\nExamples:\n  $ npx qmas-sim rerun reports/baseline/manifest.json\n  $ npx qmas-sim rerun reports/baseline-vs-quota-doubled/manifest.json --out /tmp/check",
    )
    .action(
      action(
        async (file: string, flags: { out?: string; jobs?: string; quiet?: boolean; force?: boolean }) => {
          const progress = startProgress("rerun", { quiet: flags.quiet });
          let result: Awaited<ReturnType<typeof rerunManifest>>;
          try {
            result = await rerunManifest(file, {
              outDir: flags.out,
              jobs: jobsOf(flags),
              onProgress: progress.update,
              force: flags.force,
            });
          } finally {
            progress.stop();
          }
          if (result.ignored.length > 0)
            process.stderr.write(
              `rerun: ignored ${result.ignored.length} temporary file(s) left in ${result.originalDir}/ by an interrupted write (safe to delete): ${result.ignored.join(", ")}\n`,
            );
          const where = result.outDir === undefined ? "" : ` (re-run kept in ${result.outDir}/)`;
          if (result.different.length === 0) {
            process.stdout.write(
              `reproduced byte for byte: ${result.identical.length} file(s) of ${result.originalDir}/${where}: ${result.identical.join(", ")}\n`,
            );
            return;
          }
          for (const d of result.different)
            process.stderr.write(`${result.originalDir}/${d.file}: ${d.how}${where}\n`);
          process.exitCode = 1;
        },
      ),
    );
}
