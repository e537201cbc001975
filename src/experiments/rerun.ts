import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.js";
import { type ExperimentManifest, type ExperimentSpec, sha256 } from "./manifest.js";
import { type ExperimentReport, writeExperimentReport } from "./reports.js";

/**
 * `qmas-sim rerun reports/X/manifest.json`: run the experiment the manifest records again, into the
 * same folder (or `outDir`), and check every output against the hashes the manifest holds. It refuses
 * to start when an input file (scenario, rule set, spec, pool) no longer has the recorded hash, since
 * the result could not be the same.
 */
export interface RerunResult {
  report: ExperimentReport;
  /** output files whose bytes equal the recorded ones (manifest.json included) */
  identical: string[];
  /** output files that differ, or are new or missing */
  different: string[];
}

export function readManifest(file: string): ExperimentManifest {
  if (!existsSync(file)) throw new UsageError(`manifest not found: ${file}`);
  let manifest: ExperimentManifest;
  try {
    manifest = JSON.parse(readFileSync(file, "utf8")) as ExperimentManifest;
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (manifest?.tool !== "qmas-sim" || manifest.manifest_version !== 1 || !manifest.experiment?.command) {
    throw new UsageError(`${file}: not an experiment manifest of qmas-sim (compare, sweep or replications)`);
  }
  return manifest;
}

export function changedInputs(manifest: ExperimentManifest): string[] {
  const problems: string[] = [];
  for (const input of manifest.inputs) {
    if (!existsSync(input.file)) problems.push(`${input.file}: missing`);
    else if (sha256(readFileSync(input.file)) !== input.sha256) problems.push(`${input.file}: changed since the run`);
  }
  return problems;
}

export async function rerunManifest(
  file: string,
  opts: { outDir?: string; jobs?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<RerunResult> {
  const manifest = readManifest(file);
  const problems = changedInputs(manifest);
  if (problems.length > 0) throw new UsageError(`cannot reproduce ${file}: ${problems.join("; ")} (run from the folder the experiment ran in)`);
  const originalManifest = readFileSync(file);
  const { data_dir: dataDir, ...spec } = manifest.experiment;
  const outDir = opts.outDir ?? dirname(file);
  const report = await writeExperimentReport(spec as ExperimentSpec, { outDir, dataDir, jobs: opts.jobs, onProgress: opts.onProgress });
  const identical: string[] = [];
  const different: string[] = [];
  const recorded = new Map(manifest.outputs.map((o) => [o.file, o.sha256]));
  for (const out of report.manifest.outputs) {
    if (recorded.get(out.file) === out.sha256) identical.push(out.file);
    else different.push(out.file);
    recorded.delete(out.file);
  }
  different.push(...recorded.keys());
  if (readFileSync(join(outDir, "manifest.json")).equals(originalManifest)) identical.push("manifest.json");
  else different.push("manifest.json");
  return { report, identical, different };
}
