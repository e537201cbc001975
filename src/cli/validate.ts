import type { Command } from "commander";
import { validationText } from "../validation/table.js";
import { action } from "./common.js";
import { printWritten } from "./compare.js";
import { writeReportWithProgress } from "./experiment-command.js";
import {
  DEFAULT_REPLICATIONS,
  type ExperimentFlags,
  FORCE_HELP,
  MAX_MEMORY_HELP,
  masterSeedOf,
  replicationsOf,
} from "./experiment-flags.js";

/**
 * `qmas-sim validate SCENARIO`: replications of a scenario (the folder of `run -n N`) compared with
 * every published figure (data/published/) whose period the run covers, in validation.csv, a table on
 * the terminal and a "published vs simulated" section of report.html.
 */
export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description(
      "run replications of a scenario and compare them with the published figures of data/published/ that its period covers: validation.csv, a table, and a published-vs-simulated section in report.html",
    )
    .argument("<scenario>", "scenario file, e.g. scenarios/history.yaml")
    .option("-n, --replications <n>", "number of replications", String(DEFAULT_REPLICATIONS))
    .option("--seed <seed>", "master seed (default: the scenario's seed)")
    .option("--out <dir>", "output folder (default: reports/<scenario>-validation)")
    .option(
      "--jobs <n>",
      "threads running replications (default: the number of cores; results are the same for any value)",
    )
    .option("--quiet", "no progress bar and no table, only where the reports are")
    .option("--force", FORCE_HELP)
    .option("--max-memory <MB>", MAX_MEMORY_HELP)
    .addHelpText(
      "after",
      "\nWrites validation.csv, summary.csv, replications.csv, report.html, summary.md and manifest.json.\n\nExample:\n  $ npx qmas-sim validate scenarios/history.yaml -n 30",
    )
    .action(
      action(async (file: string, flags: ExperimentFlags) => {
        const replications = replicationsOf(flags.replications ?? String(DEFAULT_REPLICATIONS));
        const seed = masterSeedOf(flags, file);
        const report = await writeReportWithProgress(
          "validate",
          { command: "validate", scenario: file, replications, seed },
          flags,
        );
        printWritten(report);
        if (!flags.quiet) {
          const rows = report.validation ?? [];
          if (rows.length === 0)
            process.stdout.write("no published figure falls inside this scenario's period\n");
          else process.stdout.write(`${validationText(rows).join("\n")}\n`);
        }
      }),
    );
}
