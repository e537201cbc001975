import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { TEMPORARY_NAME } from "../atomic.js";
import { InputError } from "../errors.js";
import { sameFileBytes, sha256File } from "../file-hash.js";
import type { ExperimentManifest, ExperimentSpec } from "./manifest.js";
import { writeExperimentReport } from "./reports.js";
import { resolveScenarioForRun, runResolvedScenarioInto } from "./run-scenario.js";

/**
 * `qmas-sim rerun <folder>/manifest.json`: run what the manifest records again (an experiment of
 * compare / sweep / replications, or a single `qmas-sim run`) into a fresh folder and compare it,
 * byte for byte, with the FILES in the original folder: the manifest's own output hashes are not
 * trusted, since a file edited after the run must show up as a difference. The original folder is
 * never written. It refuses to start when an input file (scenario, rule set, spec, pool) no longer
 * has the recorded hash, since the result could not be the same.
 */
export interface FileDifference {
  file: string;
  /** "differs" = both sides have it; otherwise the side that lacks it */
  how: "differs" | "missing from the re-run" | "not in the original folder";
}

export interface RerunResult {
  kind: "experiment" | "run";
  /** the folder the manifest sits in (read only) */
  originalDir: string;
  /** where the re-run was written; undefined when it went to a temporary folder that has been removed */
  outDir: string | undefined;
  /** files (relative paths) equal on both sides */
  identical: string[];
  different: FileDifference[];
  /** temporaries left in the original folder by an interrupted write, ignored by the comparison */
  ignored: string[];
}

/** The manifest of a single `qmas-sim run` folder (src/simulation/outputs.ts manifestOf). */
export interface RunManifest {
  tool: "qmas-sim";
  seed: string | number;
  inputs: { path: string; sha256: string }[];
  outputs: string[];
}

type AnyManifest =
  | { kind: "experiment"; manifest: ExperimentManifest }
  | { kind: "run"; manifest: RunManifest };

function isRunManifest(value: Record<string, unknown>): boolean {
  const inputs = value["inputs"];
  return (
    (typeof value["seed"] === "string" || typeof value["seed"] === "number") &&
    typeof value["scenario"] === "object" &&
    Array.isArray(inputs) &&
    inputs.length > 0 &&
    inputs.every((i) => typeof i?.path === "string" && typeof i?.sha256 === "string")
  );
}

function parseManifest(file: string): AnyManifest {
  if (!existsSync(file)) throw new InputError(`manifest not found: ${file}`);
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (value?.["tool"] === "qmas-sim") {
    const experiment = value["experiment"] as { command?: unknown } | undefined;
    if (value["manifest_version"] === 1 && experiment?.command)
      return { kind: "experiment", manifest: value as unknown as ExperimentManifest };
    if (isRunManifest(value)) return { kind: "run", manifest: value as unknown as RunManifest };
    const shard = value["shard"] as { index?: unknown; count?: unknown } | undefined;
    if (value["shard_format"] !== undefined && shard)
      throw new InputError(
        `${file}: shard ${shard.index}/${shard.count} of an experiment: merge its shards (qmas-sim merge), then rerun the merged folder's manifest.json`,
      );
  }
  throw new InputError(`${file}: not a manifest of qmas-sim (run, compare, sweep or replications)`);
}

/** The manifest of an experiment folder (compare, sweep, replications); a InputError for anything else. */
export function readManifest(file: string): ExperimentManifest {
  const parsed = parseManifest(file);
  if (parsed.kind !== "experiment")
    throw new InputError(`${file}: not an experiment manifest of qmas-sim (compare, sweep or replications)`);
  return parsed.manifest;
}

function checkInputs(inputs: readonly { file: string; sha256: string }[]): string[] {
  const problems: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input.file)) problems.push(`${input.file}: missing`);
    else if (sha256File(input.file) !== input.sha256) problems.push(`${input.file}: changed since the run`);
  }
  return problems;
}

export function changedInputs(manifest: ExperimentManifest): string[] {
  return checkInputs(manifest.inputs);
}

/** Every regular file under `dir`, as sorted paths relative to it, temporaries of interrupted writes aside. */
function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => !TEMPORARY_NAME.test(basename(f)) && statSync(join(dir, f)).isFile())
    .sort();
}

/** Temporary files an interrupted write (a killed run) left in `dir`: not part of the run, but named. */
export function strayTemporaries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => TEMPORARY_NAME.test(basename(f)))
    .sort();
}

/** Compare two folders file by file: a file on one side only is a difference. */
export function compareFolders(
  originalDir: string,
  rerunDir: string,
): { identical: string[]; different: FileDifference[] } {
  const original = filesIn(originalDir);
  const again = new Set(filesIn(rerunDir));
  const identical: string[] = [];
  const different: FileDifference[] = [];
  for (const file of original) {
    if (!again.has(file)) different.push({ file, how: "missing from the re-run" });
    else if (sameFileBytes(join(originalDir, file), join(rerunDir, file))) identical.push(file);
    else different.push({ file, how: "differs" });
    again.delete(file);
  }
  for (const file of again) different.push({ file, how: "not in the original folder" });
  return { identical, different };
}

async function rerunInto(
  parsed: AnyManifest,
  file: string,
  outDir: string,
  opts: RerunOptions,
): Promise<void> {
  if (parsed.kind === "experiment") {
    const problems = checkInputs(parsed.manifest.inputs);
    if (problems.length > 0)
      throw new InputError(
        `cannot reproduce ${file}: ${problems.join("; ")} (run from the folder the experiment ran in)`,
      );
    const { data_dir: dataDir, ...spec } = parsed.manifest.experiment;
    await writeExperimentReport(spec as ExperimentSpec, {
      outDir,
      dataDir,
      jobs: opts.jobs,
      onProgress: opts.onProgress,
      force: opts.force,
    });
    return;
  }
  const inputs = parsed.manifest.inputs.map((i) => ({ file: i.path, sha256: i.sha256 }));
  const problems = checkInputs(inputs);
  if (problems.length > 0)
    throw new InputError(
      `cannot reproduce ${file}: ${problems.join("; ")} (run from the folder the run ran in)`,
    );
  // loadScenarioInputs lists the scenario chain first, the file asked for at its head.
  await runResolvedScenarioInto(resolveScenarioForRun(inputs[0]!.file), outDir, parsed.manifest.seed, {
    force: opts.force,
  });
}

export interface RerunOptions {
  /** write the re-run here (kept) instead of a temporary folder (removed after the comparison) */
  outDir?: string;
  jobs?: number;
  onProgress?: (done: number, total: number) => void;
  /** write into `outDir` even when it holds another run or other files */
  force?: boolean;
}

export async function rerunManifest(file: string, opts: RerunOptions = {}): Promise<RerunResult> {
  const parsed = parseManifest(file);
  const originalDir = dirname(file);
  if (opts.outDir !== undefined) {
    const out = resolve(opts.outDir);
    const orig = resolve(originalDir);
    if (out === orig || !relative(orig, out).startsWith("..") || !relative(out, orig).startsWith("..")) {
      throw new InputError(
        `${opts.outDir}: must be a folder outside ${originalDir}/ (the original folder is never written)`,
        "outDir",
      );
    }
  }
  const outDir = opts.outDir ?? mkdtempSync(join(tmpdir(), "qmas-rerun-"));
  try {
    await rerunInto(parsed, file, outDir, opts);
    return {
      kind: parsed.kind,
      originalDir,
      outDir: opts.outDir,
      ...compareFolders(originalDir, outDir),
      ignored: strayTemporaries(originalDir),
    };
  } finally {
    if (opts.outDir === undefined) rmSync(outDir, { recursive: true, force: true });
  }
}
