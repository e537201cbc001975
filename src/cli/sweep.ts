import type { Command } from "commander";
import type { ExperimentReport } from "../experiments/experiment.js";
import type { ExperimentSpec } from "../experiments/manifest.js";
import { parseVary, sweepGrid } from "../experiments/reports.js";
import type { ShardReport } from "../experiments/shard.js";
import { summarizeValues } from "../experiments/stats.js";
import { action } from "./common.js";
import { printWritten, shortStat } from "./compare.js";
import { writeReportWithProgress } from "./experiment-command.js";
import {
  DEFAULT_REPLICATIONS,
  type ExperimentFlags,
  FORCE_HELP,
  MAX_MEMORY_HELP,
  masterSeedOf,
  replicationsOf,
} from "./experiment-flags.js";
import { SHARD_OPTION, shardCommand } from "./shard.js";

interface SweepFlags extends ExperimentFlags {
  vary: string[];
}

const SHOWN = ["allotted", "persons_admitted", "median_cutoff_score", "median_wait_days"];

function sweepLines(
  report: ExperimentReport,
  paths: readonly string[],
  grid: readonly unknown[][],
): string[] {
  const lines = [[...paths, ...SHOWN.map((m) => `${m} [95 % CI]`)].join("  |  ")];
  report.run.series.forEach((unitSeries, i) => {
    const cells = grid[i]!.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
    for (const metric of SHOWN) {
      const s = unitSeries.find((x) => x.table === "run" && x.metric === metric);
      cells.push(summaryText(s?.values ?? []));
    }
    lines.push(cells.join("  |  "));
  });
  return lines;
}

/** The headline metrics of a replicate report (mean [95 % CI]), for the terminal. */
export function replicationLines(report: ExperimentReport): string[] {
  return sweepLines(report, [], [[]]);
}

/** The same statistics as sweep.csv, for the terminal. */
function summaryText(values: readonly (number | null)[]): string {
  const s = summarizeValues(values);
  if (s.mean === null) return "–";
  return s.ciLow === null
    ? shortStat(s.mean)
    : `${shortStat(s.mean)} [${shortStat(s.ciLow)}, ${shortStat(s.ciHigh)}]`;
}

/**
 * Replications of one scenario (`sweep SCENARIO` without --vary); exported so other commands (e.g.
 * `run --replications N`) can offer the same thing. With --shard, one shard of them (reported here).
 */
export async function replicateCommand(
  file: string,
  flags: ExperimentFlags,
): Promise<ExperimentReport | ShardReport> {
  const replications = replicationsOf(flags.replications);
  const seed = masterSeedOf(flags, file);
  const spec: ExperimentSpec = { command: "replicate", scenario: file, replications, seed };
  if (flags.shard !== undefined) return shardCommand(spec, { ...flags, shard: flags.shard });
  return writeReportWithProgress("replications", spec, flags);
}

export function registerSweep(program: Command): void {
  program
    .command("sweep")
    .description(
      "run a scenario over a full factorial grid of values (--vary PATH=V1,V2,…), the same seeds in every cell; one row per cell with each metric's mean and 95 % CI. Without --vary: replications of the scenario alone",
    )
    .argument("<scenario>", "scenario file")
    .option(
      "--vary <path=values>",
      "an override path and its comma-separated values (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option("-n, --replications <n>", "replications per cell", String(DEFAULT_REPLICATIONS))
    .option("--seed <seed>", "master seed (default: the scenario's seed)")
    .option(
      "--jobs <n>",
      "threads running replications: this one and, when the experiment is large enough to gain, n − 1 workers (default: the number of cores; results are the same for any value)",
    )
    .option(
      "--out <dir>",
      "output folder (default: reports/<scenario>-sweep, or reports/<scenario>-replications without --vary)",
    )
    .option("--force", FORCE_HELP)
    .option("--max-memory <MB>", MAX_MEMORY_HELP)
    .option(...SHARD_OPTION)
    .option("--quiet", "no progress bar and no table, only where the reports are")
    .addHelpText(
      "after",
      "\nWrites sweep.csv (one row per cell), sweep-metrics.csv (every metric per cell), replications.csv, report.html, summary.md and manifest.json.\n\nExample:\n  $ npx qmas-sim sweep scenarios/baseline.yaml --vary quota.per_year=500,1000,2000,4000 --vary pass_mark=80,100 --replications 20",
    )
    .action(
      action(async (file: string, flags: SweepFlags) => {
        if (flags.vary.length === 0) {
          const report = await replicateCommand(file, flags);
          if (!("run" in report)) return;
          printWritten(report);
          if (!flags.quiet) process.stdout.write(`${sweepLines(report, [], [[]]).join("\n")}\n`);
          return;
        }
        const vary = flags.vary.map(parseVary);
        const replications = replicationsOf(flags.replications);
        const seed = masterSeedOf(flags, file);
        const spec: ExperimentSpec = { command: "sweep", scenario: file, vary, replications, seed };
        if (flags.shard !== undefined) {
          await shardCommand(spec, { ...flags, shard: flags.shard });
          return;
        }
        const report = await writeReportWithProgress("sweep", spec, flags);
        printWritten(report);
        if (!flags.quiet) {
          process.stdout.write(
            `${sweepGrid(vary).length} cells × ${replications} replications, master seed ${seed}\n`,
          );
          process.stdout.write(
            `${sweepLines(
              report,
              vary.map((v) => v.path),
              sweepGrid(vary),
            ).join("\n")}\n`,
          );
        }
      }),
    );
}
