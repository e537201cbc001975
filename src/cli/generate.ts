import cliProgress from "cli-progress";
import type { Command } from "commander";
import { writeApplicantCsv } from "../applicants/csv/index.js";
import { generatePool, loadDistributionSpec } from "../applicants/generate/index.js";
import { SCHEME_OPENED_ON } from "../dates.js";
import { checkMemoryBytes, parseMaxMemory } from "../experiments/estimate.js";
import { formatCount, LIMITS, MEMORY_MODEL } from "../limits.js";
import { action, checkCommandPaths, stderrIsTty } from "./common.js";
import { MAX_MEMORY_HELP } from "./experiment-flags.js";
import { UsageError } from "./usage-error.js";

interface GenerateFlags {
  spec: string;
  count: string;
  seed: string;
  from?: string;
  to?: string;
  out?: string;
  startIndex?: string;
  data: string;
  quiet?: boolean;
  maxMemory?: string;
}

/** Below this many applicants generation takes well under a second: no progress bar. */
const PROGRESS_FROM = 200_000;

function wholeNumber(text: string, flag: string): number {
  if (!/^\d+$/.test(text.replace(/_/g, "")))
    throw new UsageError(`${flag} must be a whole number ≥ 0 (got '${text}')`);
  const n = Number(text.replace(/_/g, ""));
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} is too large (got '${text}')`);
  return n;
}

export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description("Draw a synthetic applicant pool from a distribution spec and write it as an applicant CSV")
    .requiredOption(
      "--spec <id|path>",
      "distribution spec id in <data>/distributions (qmas-2021, qmas-2006) or a .yaml path",
    )
    .requiredOption("--count <n>", "number of applicants")
    .requiredOption("--seed <seed>", "master seed (any text); the same arguments always give the same bytes")
    .option("--from <date>", "first application date YYYY-MM-DD (default: the spec's period.from)")
    .option("--to <date>", "last application date YYYY-MM-DD, inclusive (default: the spec's period.to)")
    .option("-o, --out <file>", "write the CSV here (atomically) instead of stdout")
    .option(
      "--start-index <n>",
      "index of the first applicant: a pool generated from 0 with a larger count has the same rows here",
    )
    .option("--data <dir>", "data folder holding distributions/", "data")
    .option("--quiet", "no progress bar")
    .option("--max-memory <MB>", MAX_MEMORY_HELP)
    .addHelpText(
      "after",
      "\nExample:\n  $ npx qmas-sim generate --spec qmas-2021 --count 100000 --seed 42 -o reports/pool-2021.csv\n  $ npx qmas-sim score reports/pool-2021.csv",
    )
    .action(
      action(async (flags: GenerateFlags) => {
        const spec = loadDistributionSpec(flags.spec, flags.data);
        checkCommandPaths({ "-o output": flags.out }, { "distribution spec": spec.file });
        if (flags.from !== undefined && flags.from < SCHEME_OPENED_ON)
          throw new UsageError(
            `--from ${flags.from} is before the scheme opened on ${SCHEME_OPENED_ON}: no rule set was in force, and score would reject every such row`,
          );
        const count = wholeNumber(flags.count, "--count");
        if (count > LIMITS.generateCount)
          throw new UsageError(
            `--count ${formatCount(count)} is above the limit of ${formatCount(LIMITS.generateCount)} applicants (generate several pools with --start-index to go further)`,
          );
        const startIndex =
          flags.startIndex === undefined ? 0 : wholeNumber(flags.startIndex, "--start-index");
        if (!Number.isSafeInteger(startIndex + count))
          throw new UsageError(`--start-index ${flags.startIndex} + --count ${count} is too large`);
        checkMemoryBytes(
          "generate",
          count * MEMORY_MODEL.perGeneratedPoolRow,
          `${formatCount(count)} applicants`,
          parseMaxMemory(flags.maxMemory),
        );
        const bar =
          !flags.quiet && stderrIsTty() && count >= PROGRESS_FROM
            ? new cliProgress.SingleBar(
                {
                  stream: process.stderr,
                  format:
                    "generate [{bar}] {value}/{total} applicants | {duration_formatted} elapsed | {eta_formatted} left",
                  hideCursor: true,
                  clearOnComplete: true,
                },
                cliProgress.Presets.shades_classic,
              )
            : undefined;
        bar?.start(count, 0);
        const started = performance.now();
        const pool = generatePool(spec, {
          count,
          seed: flags.seed,
          from: flags.from,
          to: flags.to,
          startIndex,
          onProgress: bar ? (done) => bar.update(done) : undefined,
        });
        bar?.stop();
        await writeApplicantCsv(pool, flags.out ?? process.stdout);
        if (flags.out && !flags.quiet) {
          const seconds = (performance.now() - started) / 1000;
          process.stderr.write(
            `wrote ${count} applicants (spec ${spec.id}, seed ${flags.seed}) to ${flags.out} in ${seconds.toFixed(1)} s\n`,
          );
        }
      }),
    );
}
