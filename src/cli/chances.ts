import { join } from "node:path";
import type { Command } from "commander";
import { applicantChances, readApplicant } from "../chances/applicant.js";
import { type ChancesForecast, forecastChances } from "../chances/forecast.js";
import type { Reapply } from "../chances/probability.js";
import { applicantLines, forecastLines } from "../chances/text.js";
import { writeChances } from "../chances/write.js";
import { resolveScenario } from "../experiments/resolve.js";
import { action } from "./common.js";
import {
  DEFAULT_REPLICATIONS,
  FORCE_HELP,
  jobsOf,
  masterSeedOf,
  positiveInteger,
} from "./experiment-flags.js";
import { startProgress } from "./progress.js";
import { UsageError } from "./usage-error.js";

interface ChancesFlags {
  replications: string;
  exercises: string;
  seed?: string;
  out?: string;
  from?: string;
  reapply: string;
  applicants?: string;
  id?: string;
  jobs?: string;
  quiet?: boolean;
  force?: boolean;
}

export function registerChances(program: Command): void {
  program
    .command("chances")
    .description(
      "what score do I need? the probability of being allotted within 1..K exercises for every score, the cutoff forecast, and one applicant's chances; from replications of a scenario, committee included",
    )
    .argument("<scenario>", "scenario file, e.g. scenarios/baseline.yaml")
    .option("-n, --replications <n>", "number of replications", String(DEFAULT_REPLICATIONS))
    .option("--exercises <k>", "exercises an application takes part in (applying again when refused)", "4")
    .option("--from <date>", "the day the application is made (default: the period's first day)")
    .option(
      "--reapply <same|fresh>",
      "a refused case applying again is judged the same way, or afresh",
      "same",
    )
    .option("--applicants <file>", "applicant CSV holding the person to answer for (with --id)")
    .option("--id <id>", "the applicant's id in --applicants")
    .option("--seed <seed>", "master seed (default: the scenario's seed)")
    .option("--out <dir>", "output folder (default: reports/<scenario>-chances)")
    .option("--jobs <n>", "threads running replications (default: the number of cores; same results)")
    .option("--quiet", "no progress bar and no table, only where the files are")
    .option("--force", FORCE_HELP)
    .addHelpText(
      "after",
      "\nWrites chances.csv, cutoffs.csv, report.html and manifest.json.\n\nExamples:\n  $ qmas-sim chances scenarios/baseline.yaml -n 30 --exercises 4\n  $ qmas-sim chances scenarios/baseline.yaml --applicants data/samples/sample-pool.csv --id WA",
    )
    .action(
      action(async (file: string, flags: ChancesFlags) => {
        if ((flags.applicants === undefined) !== (flags.id === undefined))
          throw new UsageError("--applicants and --id go together");
        if (flags.reapply !== "same" && flags.reapply !== "fresh")
          throw new UsageError(`--reapply expects 'same' or 'fresh' (got '${flags.reapply}')`);
        const replications = positiveInteger(flags.replications, "--replications");
        const exercises = positiveInteger(flags.exercises, "--exercises");
        // read the person first: a wrong id fails before any replication runs
        const person =
          flags.applicants !== undefined && flags.id !== undefined
            ? await readApplicant(flags.applicants, flags.id)
            : undefined;
        const dir = flags.out ?? join("reports", `${resolveScenario(file).name}-chances`);
        const progress = startProgress("chances", { quiet: flags.quiet });
        let forecast: ChancesForecast;
        try {
          forecast = await forecastChances({
            scenario: file,
            replications,
            seed: masterSeedOf(flags, file),
            exercises,
            reapply: flags.reapply as Reapply,
            jobs: jobsOf(flags),
            ...(flags.from === undefined ? {} : { from: flags.from }),
            outDir: dir,
            extraInputs: flags.applicants === undefined ? [] : [flags.applicants],
            force: flags.force === true,
            onProgress: progress.update,
          });
        } finally {
          progress.stop();
        }
        const applicant =
          person && flags.applicants
            ? { file: flags.applicants, chances: applicantChances(forecast, person) }
            : undefined;
        const files = await writeChances(forecast, dir, {
          ...(applicant ? { applicant } : {}),
          force: flags.force === true,
        });
        process.stdout.write(`reports written to ${dir}/ (${files.join(", ")})\n`);
        if (flags.quiet) return;
        const lines = applicant ? applicantLines(applicant.chances, forecast) : forecastLines(forecast);
        process.stdout.write(`${lines.join("\n")}\n`);
      }),
    );
}
