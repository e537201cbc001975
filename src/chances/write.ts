import { join } from "node:path";
import { writeFileAtomic } from "../atomic.js";
import { writeCsvFileSync } from "../csv-writer.js";
import {
  type FileHash,
  hashFile,
  inputFiles,
  resolvedHash,
  SEED_DERIVATION,
} from "../experiments/manifest.js";
import { formatStat } from "../experiments/stats.js";
import { packageVersion } from "../paths.js";
import { RNG_ALGORITHM } from "../random.js";
import { type ChancesReportModel, renderChancesReport } from "../report/html/chances.js";
import { dropOldManifest } from "../run-folder.js";
import type { ApplicantChances } from "./applicant.js";
import { CHANCES_CSV, CUTOFFS_CSV, claimChancesFolder } from "./folder.js";
import type { ChancesForecast } from "./forecast.js";
import { applicantLines, reapplyLine, selectionLine } from "./text.js";

export const CHANCES_COLUMNS = ["route", "score", "exercises", "p_allotted", "ci_low", "ci_high"] as const;
export const CUTOFF_COLUMNS = ["exercise", "quantile", "cutoff", "quarter", "replications"] as const;

export interface WriteChancesOptions {
  applicant?: { file: string; chances: ApplicantChances };
  /** take the folder whatever it holds (see claimChancesFolder) */
  force?: boolean;
}

/** The folder of a forecast: chances.csv, cutoffs.csv, report.html and manifest.json. */
export async function writeChances(
  f: ChancesForecast,
  outDir: string,
  opts: WriteChancesOptions = {},
): Promise<string[]> {
  const extra = opts.applicant ? [opts.applicant.file] : [];
  claimChancesFolder(outDir, f.unit, f.options.dataDir, extra, opts.force);
  // a folder whose writing is interrupted has no manifest: the old one goes first, the new one last
  dropOldManifest(outDir);
  const written: string[] = [];
  writeCsvFileSync(
    join(outDir, CHANCES_CSV),
    CHANCES_COLUMNS,
    f.curves.map((c) => [c.route, c.score, c.k, formatStat(c.p), formatStat(c.low), formatStat(c.high)]),
  );
  written.push(CHANCES_CSV);
  writeCsvFileSync(
    join(outDir, CUTOFFS_CSV),
    CUTOFF_COLUMNS,
    f.cutoffs.map((c) => [c.exercise, c.quantile, formatStat(c.cutoff), c.quarter, c.n]),
  );
  written.push(CUTOFFS_CSV);
  const html = await renderChancesReport(reportModel(f, opts, [...written, "manifest.json"]));
  writeFileAtomic(join(outDir, "report.html"), html);
  written.push("report.html");
  const outputs: FileHash[] = written.sort().map((name) => ({ ...hashFile(join(outDir, name)), file: name }));
  writeFileAtomic(join(outDir, "manifest.json"), `${JSON.stringify(manifest(f, opts, outputs), null, 2)}\n`);
  written.push("manifest.json");
  return written;
}

function reportModel(f: ChancesForecast, opts: WriteChancesOptions, files: string[]): ChancesReportModel {
  const unit = f.ruleSet.kind === "points" ? "points" : "criteria met";
  return {
    title: `qmas-sim chances: ${f.scenarioName}`,
    lede: [
      `What are the chances of an application made on ${f.options.from} (scored on ${f.ruleSet.id}) of being allotted a place within 1 to ${f.options.exercises} exercises? ${f.options.replications} replications of the scenario.`,
      selectionLine(f),
      reapplyLine(f),
      ...f.notes,
    ],
    scoreLabel: `${unit}, ${f.ruleSet.id}`,
    passMark: f.passMark,
    curves: f.curves.filter((c) => c.route !== "apt"),
    apt: f.curves.filter((c) => c.route === "apt"),
    cutoffs: f.cutoffs,
    ...(opts.applicant
      ? {
          applicant: {
            heading: `Applicant ${opts.applicant.chances.id}`,
            lines: applicantLines(opts.applicant.chances, f),
          },
        }
      : {}),
    provenance: [
      ["Scenario", f.options.scenario],
      ["Master seed", f.options.seed],
      ["Replications", String(f.options.replications)],
      ["Application day", f.options.from],
      ["Exercises", String(f.options.exercises)],
      ["Re-application", f.options.reapply],
      ["Rule set", f.ruleSet.id],
      ["Package version", `qmas-sim ${packageVersion()}`],
    ],
    files,
  };
}

function manifest(f: ChancesForecast, opts: WriteChancesOptions, outputs: FileHash[]) {
  const files = inputFiles([f.unit], f.options.dataDir);
  if (opts.applicant) files.push(opts.applicant.file);
  return {
    tool: "qmas-sim",
    package_version: packageVersion(),
    manifest_version: 1,
    experiment: {
      command: "chances",
      scenario: f.options.scenario,
      replications: f.options.replications,
      seed: f.options.seed,
      exercises: f.options.exercises,
      from: f.options.from,
      reapply: f.options.reapply,
      data_dir: f.options.dataDir,
      ...(opts.applicant ? { applicants: opts.applicant.file, id: opts.applicant.chances.id } : {}),
    },
    selection: f.committee ? "score and committee" : "score",
    rule_set: f.ruleSet.id,
    rng: RNG_ALGORITHM,
    seed_derivation: SEED_DERIVATION,
    seeds: f.seeds,
    scenarios: [{ name: f.unit.name, chain: f.unit.chain, resolved_sha256: resolvedHash(f.unit) }],
    inputs: files.map(hashFile),
    outputs,
  };
}
