import type { Command } from "commander";
import type { ExperimentReport } from "../experiments/experiment.js";
import type { MetricComparison } from "../experiments/metrics.js";
import { compareSeries } from "../experiments/metrics.js";
import { formatStat } from "../experiments/stats.js";
import { action } from "./common.js";
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

/** Whole-run metrics shown on the terminal after a comparison (all metrics are in compare.csv). */
const HEADLINE = [
  "allotted",
  "persons_admitted",
  "median_cutoff_score",
  "median_wait_days",
  "not_selected",
  "pending",
  "applications",
  "arrived",
  "in_hk_after_7y",
  "permanent_residents",
  "persons_in_hk_end",
];

/** A statistic for the terminal: at most 2 decimals (the CSV files keep 6). */
export function shortStat(v: number | null): string {
  return formatStat(v === null ? null : Math.round(v * 100) / 100);
}

function signed(v: number | null): string {
  const t = shortStat(v);
  return v !== null && v > 0 ? `+${t}` : t;
}

export function comparisonLines(
  rows: readonly MetricComparison[],
  baseline: string,
  reform: string,
): string[] {
  const run = rows.filter((r) => r.table === "run" && HEADLINE.includes(r.metric));
  run.sort((a, b) => HEADLINE.indexOf(a.metric) - HEADLINE.indexOf(b.metric));
  const wb = Math.max(baseline.length, 12) + 2;
  const wr = Math.max(reform.length, 12) + 2;
  const lines = [
    `${"metric".padEnd(22)}${baseline.padStart(wb)}${reform.padStart(wr)}   difference [95 % CI]`,
  ];
  for (const r of run) {
    const d = r.difference;
    const ci = d.ciLow === null ? "" : ` [${signed(d.ciLow)}, ${signed(d.ciHigh)}]`;
    lines.push(
      `${r.metric.padEnd(22)}${shortStat(r.baseline.mean).padStart(wb)}${shortStat(r.reform.mean).padStart(wr)}   ${signed(d.mean)}${ci}`,
    );
  }
  return lines;
}

export function printWritten(report: ExperimentReport): void {
  process.stdout.write(`reports written to ${report.outDir}/ (${report.files.join(", ")})\n`);
}

export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description(
      "run a baseline and a reform with the same seeds (common random numbers); per metric: both means, the paired difference and its 95 % CI, plus the changed parameters",
    )
    .argument("<baseline>", "scenario file, e.g. scenarios/baseline.yaml")
    .argument("<reform>", "scenario file, usually one that extends the baseline")
    .option(
      "-n, --replications <n>",
      "number of replications (seeds derived from the master seed)",
      String(DEFAULT_REPLICATIONS),
    )
    .option("--seed <seed>", "master seed (default: the baseline scenario's seed)")
    .option(
      "--jobs <n>",
      "threads running replications: this one and, when the experiment is large enough to gain, n − 1 workers (default: the number of cores; results are the same for any value)",
    )
    .option("--out <dir>", "output folder (default: reports/<baseline>-vs-<reform>)")
    .option("--force", FORCE_HELP)
    .option("--max-memory <MB>", MAX_MEMORY_HELP)
    .option(...SHARD_OPTION)
    .option("--quiet", "no progress bar and no table, only where the reports are")
    .addHelpText(
      "after",
      "\nWrites compare.csv, changes.csv, replications.csv, report.html, summary.md and manifest.json.\n\nExample:\n  $ npx qmas-sim compare scenarios/baseline.yaml scenarios/quota-doubled.yaml --replications 30",
    )
    .action(
      action(async (baseline: string, reform: string, flags: ExperimentFlags) => {
        const replications = replicationsOf(flags.replications);
        const seed = masterSeedOf(flags, baseline);
        if (flags.shard !== undefined) {
          const spec = { command: "compare", baseline, reform, replications, seed } as const;
          await shardCommand(spec, { ...flags, shard: flags.shard });
          return;
        }
        const report = await writeReportWithProgress(
          "compare",
          { command: "compare", baseline, reform, replications, seed },
          flags,
        );
        printWritten(report);
        if (flags.quiet) return;
        const [b, r] = report.run.units;
        const rows = compareSeries(report.run.series[0]!, report.run.series[1]!);
        process.stdout.write(`${replications} replications, master seed ${seed}\n`);
        process.stdout.write(`${comparisonLines(rows, b!.name, r!.name).join("\n")}\n`);
      }),
    );
}
