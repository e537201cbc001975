import { join } from "node:path";
import type { Command } from "commander";
import { parseMaxMemory } from "../experiments/estimate.js";
import { resolveScenarioForRun, runResolvedScenarioInto } from "../experiments/run-scenario.js";
import type { RunSummary } from "../simulation/metrics.js";
import { action } from "./common.js";
import { printWritten } from "./compare.js";
import { FORCE_HELP, jobsOf, MAX_MEMORY_HELP } from "./experiment-flags.js";
import { startProgress } from "./progress.js";
import { SHARD_OPTION } from "./shard.js";
import { replicateCommand, replicationLines } from "./sweep.js";
import { UsageError } from "./usage-error.js";

interface RunFlags {
  seed?: string;
  out?: string;
  quiet?: boolean;
  replications?: string;
  jobs?: string;
  force?: boolean;
  maxMemory?: string;
  shard?: string;
}

/** A seed given on the command line: digits are a number (as in a scenario file), anything else text. */
export function parseSeed(text: string): string | number {
  if (text.trim() === "") throw new UsageError("--seed needs a value");
  return /^\d{1,15}$/.test(text) ? Number(text) : text;
}

function fmt(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString("en-US") : "n/a";
}

/** What the median cutoff counts, by the kinds of rule set the run assessed under. */
function cutoffWords(kinds: readonly string[]): string {
  if (kinds.length === 1 && kinds[0] === "criteria") return "fewest criteria met among the allotted";
  if (kinds.length > 1) return "lowest score allotted: GPT points or criteria met, by rule set";
  return "lowest GPT score allotted";
}

/**
 * The five-line summary printed after a run. Each line says what it counts: the median wait is over
 * every decided application, while report.html headlines the allotted (the two differ by a few days).
 */
export function summaryLines(s: RunSummary, scoreKinds: readonly string[] = ["points"]): string[] {
  return [
    `applications      ${fmt(s.applications)} (${fmt(s.pending)} still pending at the end)`,
    `allotted          ${fmt(s.allotted)} of ${s.quota_offered === Number.POSITIVE_INFINITY ? "unlimited" : fmt(s.quota_offered)} places (${fmt(s.allotted_apt)} by the APT)`,
    `persons admitted  ${fmt(s.persons_admitted)} (principals with accompanying spouses and children)`,
    `median cutoff     ${fmt(s.median_cutoff_score)} (${cutoffWords(scoreKinds)}, median over ${fmt(s.exercises)} exercises)`,
    `median wait       ${fmt(s.median_wait_days)} days from application to decision, all decided applications (${fmt(s.median_wait_days_allotted)} for the allotted)`,
  ];
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description(
      "run a scenario: quarterly assessment and selection exercises; writes decisions, rounds, cohort and manifest",
    )
    .argument("<scenario>", "scenario YAML file (see scenarios/baseline.yaml)")
    .option("--seed <seed>", "master seed (default: the scenario's seed)")
    .option("--out <dir>", "output folder (default: reports/<scenario name>)")
    .option("--quiet", "print only the output folder")
    .option("--force", FORCE_HELP)
    .option("--max-memory <MB>", MAX_MEMORY_HELP)
    .option(
      "-n, --replications <n>",
      "run N replications with seeds derived from the master seed; report every metric as mean, sd and 95 % CI",
    )
    .option(
      "--jobs <n>",
      "threads: for replications (this one and, when the experiment is large enough to gain, n − 1 workers), or workers generating the arrivals of a large pool (3,000,000 or more) in a single run (default: the number of cores; results are the same for any value)",
    )
    .option(...SHARD_OPTION)
    .addHelpText(
      "after",
      "\nWrites decisions.csv, rounds.csv, cohort.csv, residence.csv and cohorts.csv (after allotment; residence.enabled: false turns them off), manifest.json, report.html and summary.md.\n\nExamples:\n  $ npx qmas-sim run scenarios/baseline.yaml --seed 7 --out reports/baseline-seed7\n  $ npx qmas-sim run scenarios/quota-doubled.yaml --replications 30",
    )
    .action(
      action(async (file: string, flags: RunFlags) => {
        if (flags.replications !== undefined) {
          // Replications are an experiment: the same machinery (and folder layout) as `sweep` without --vary.
          const report = await replicateCommand(file, { ...flags, replications: flags.replications });
          if (!("run" in report)) return; // a shard, reported by replicateCommand
          printWritten(report);
          if (!flags.quiet) process.stdout.write(`${replicationLines(report).join("\n")}\n`);
          return;
        }
        if (flags.shard !== undefined)
          throw new UsageError("--shard splits replications: give --replications N too");
        const resolved = resolveScenarioForRun(file);
        const seed = flags.seed === undefined ? resolved.scenario.seed : parseSeed(flags.seed);
        const dir = flags.out ?? join("reports", resolved.scenario.name);
        const progress = startProgress("run", { quiet: flags.quiet, unit: "quarters" });
        let summary: RunSummary;
        let scoreKinds: string[];
        let files: string[];
        try {
          ({ summary, scoreKinds, files } = await runResolvedScenarioInto(resolved, dir, seed, {
            jobs: jobsOf(flags),
            force: flags.force,
            maxMemoryMb: parseMaxMemory(flags.maxMemory),
            onProgress: progress.update,
            onWarning: (line) => process.stderr.write(`${line}\n`),
          }));
        } finally {
          progress.stop();
        }
        process.stdout.write(`reports written to ${dir}/ (${files.join(", ")})\n`);
        if (!flags.quiet) process.stdout.write(`${summaryLines(summary, scoreKinds).join("\n")}\n`);
      }),
    );
}
