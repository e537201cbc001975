import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { ErrorList, InputError } from "../errors.js";
import { sha256File } from "../file-hash.js";
import type { ResolvedScenario } from "../scenario/extends.js";
import type { ExperimentReport } from "./experiment.js";
import { experimentRunOf } from "./experiment.js";
import { canonicalJson, inputFiles, resolvedHash } from "./manifest.js";
import type { RunMetrics } from "./metrics.js";
import { reportName, resolveUnits, writeExperimentFolder } from "./reports.js";
import { replicationSeed, replicationSeeds } from "./seeds.js";
import { readShardRuns, SHARD_FORMAT, SHARD_MANIFEST, SHARD_RUNS, type ShardManifest } from "./shard.js";
import { shardLabel } from "./shard-plan.js";

/**
 * `qmas-sim merge DIR…`: the shards of one experiment (./shard.ts) into the folder one machine running
 * the whole experiment with --jobs 1 writes, byte for byte (and so `qmas-sim rerun`-able). Before
 * anything is written it checks that every shard belongs to the same experiment (command, scenario
 * files, master seed, replications, varied values, data folder, N, the resolved scenarios' and input
 * files' hashes, the package version), that each of the N shards is given exactly once, that each
 * runs file is the one its shard.json describes, and that the inputs here are those the shards read.
 * Every problem found is one line naming the shard folder or file.
 */
export interface MergeOptions {
  /** output folder (default: the folder a one-machine run of the experiment writes, under reports/) */
  outDir?: string;
  /** also write report.html and summary.md (default true, as a one-machine run does) */
  html?: boolean;
}

export interface MergeReport extends ExperimentReport {
  /** the shard folders merged, shard 1 first */
  shards: string[];
}

interface FoundShard {
  dir: string;
  manifest: ShardManifest;
}

function refuse(problems: readonly string[]): never {
  if (problems.length === 1) throw new InputError(problems[0]!);
  throw new ErrorList(problems.map((p) => new InputError(p)));
}

const isShardFolder = (dir: string) => existsSync(join(dir, SHARD_MANIFEST));

/** Each argument is a shard folder, or a folder whose sub-folders are shard folders (as --shard writes them). */
function shardFolders(dirs: readonly string[], problems: string[]): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    if (isShardFolder(dir)) {
      found.push(dir);
      continue;
    }
    const inside =
      existsSync(dir) && statSync(dir).isDirectory()
        ? readdirSync(dir)
            .sort()
            .map((name) => join(dir, name))
            .filter((sub) => statSync(sub).isDirectory() && isShardFolder(sub))
        : [];
    if (inside.length > 0) found.push(...inside);
    else if (!existsSync(dir)) problems.push(`${dir}: no such folder`);
    else
      problems.push(`${dir}: not a shard folder of qmas-sim (no ${SHARD_MANIFEST} in it or its sub-folders)`);
  }
  return found;
}

function readShardManifest(dir: string, problems: string[]): FoundShard | undefined {
  const file = join(dir, SHARD_MANIFEST);
  let value: Partial<ShardManifest>;
  try {
    value = JSON.parse(readFileSync(file, "utf8")) as Partial<ShardManifest>;
  } catch (err) {
    problems.push(`${file}: not valid JSON (${(err as Error).message})`);
    return undefined;
  }
  const shard = value.shard;
  const ok =
    value.tool === "qmas-sim" &&
    value.shard_format === SHARD_FORMAT &&
    shard !== undefined &&
    Number.isInteger(shard.index) &&
    Number.isInteger(shard.count) &&
    shard.index >= 1 &&
    shard.index <= shard.count &&
    typeof value.experiment?.command === "string" &&
    Array.isArray(value.runs) &&
    Array.isArray(value.scenarios) &&
    Array.isArray(value.inputs) &&
    typeof value.results?.sha256 === "string";
  if (!ok) {
    problems.push(`${file}: not a shard manifest of qmas-sim (shard format ${SHARD_FORMAT})`);
    return undefined;
  }
  return { dir, manifest: value as ShardManifest };
}

/** What makes two shards parts of the same experiment; everything else in shard.json is the shard's own. */
function identity(m: ShardManifest): string {
  return canonicalJson([m.package_version, m.experiment, m.rng, m.shard.count, m.scenarios, m.inputs]);
}

/** How shard `b` differs from shard `a` of the experiment, in words. */
function differences(a: ShardManifest, b: ShardManifest): string[] {
  const out: string[] = [];
  const { seed: seedA, replications: repA, data_dir: dataA, ...restA } = a.experiment;
  const { seed: seedB, replications: repB, data_dir: dataB, ...restB } = b.experiment;
  if (canonicalJson(restA) !== canonicalJson(restB))
    out.push(`another experiment: ${canonicalJson(restB)}, not ${canonicalJson(restA)}`);
  if (seedA !== seedB) out.push(`master seed ${seedB}, not ${seedA}`);
  if (repA !== repB) out.push(`${repB} replications, not ${repA}`);
  if (dataA !== dataB) out.push(`data folder ${dataB}, not ${dataA}`);
  if (a.shard.count !== b.shard.count) out.push(`one of ${b.shard.count} shards, not ${a.shard.count}`);
  if (a.package_version !== b.package_version)
    out.push(`qmas-sim ${b.package_version}, not ${a.package_version}`);
  if (a.rng !== b.rng) out.push(`random generator ${b.rng}, not ${a.rng}`);
  if (canonicalJson(a.scenarios) !== canonicalJson(b.scenarios)) {
    const changed = b.scenarios
      .filter((s, i) => canonicalJson(s) !== canonicalJson(a.scenarios[i]))
      .map((s) => s.name);
    out.push(`scenarios resolved differently (${changed.join(", ") || "another number of them"})`);
  }
  if (canonicalJson(a.inputs) !== canonicalJson(b.inputs)) {
    const hashes = new Map(a.inputs.map((f) => [f.file, f.sha256]));
    const files = new Set([...a.inputs.map((f) => f.file), ...b.inputs.map((f) => f.file)]);
    const changed = [...files].filter((f) => hashes.get(f) !== b.inputs.find((x) => x.file === f)?.sha256);
    out.push(`input files differ (${changed.join(", ")})`);
  }
  return out;
}

/**
 * The experiment's shards, one per index, in index order; every foreign, duplicated or missing shard
 * is a problem. The experiment is the one most of the shards given belong to (the first one's on a tie).
 */
function oneExperiment(found: readonly FoundShard[], problems: string[]): FoundShard[] {
  const groups = new Map<string, FoundShard[]>();
  for (const s of found) {
    const key = identity(s.manifest);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const main = [...groups.values()].reduce((best, g) => (g.length > best.length ? g : best));
  const reference = main[0]!;
  for (const s of found) {
    if (main.includes(s)) continue;
    problems.push(
      `${s.dir}: shard ${shardLabel(s.manifest.shard)} of another experiment than ${reference.dir} (${differences(reference.manifest, s.manifest).join("; ")})`,
    );
  }
  const count = reference.manifest.shard.count;
  const byIndex: FoundShard[][] = Array.from({ length: count }, () => []);
  for (const s of main) byIndex[s.manifest.shard.index - 1]!.push(s);
  byIndex.forEach((given, i) => {
    const label = shardLabel({ index: i + 1, count });
    if (given.length === 0) problems.push(`shard ${label} is missing`);
    else if (given.length > 1)
      problems.push(`shard ${label} is given more than once: ${given.map((s) => s.dir).join(", ")}`);
  });
  return byIndex.map((given) => given[0]!);
}

function checkOutDir(outDir: string, shards: readonly FoundShard[]): void {
  const out = resolve(outDir);
  for (const s of shards) {
    const dir = resolve(s.dir);
    const inside = (a: string, b: string) => a === b || !relative(b, a).startsWith("..");
    if (inside(out, dir) || inside(dir, out))
      throw new InputError(
        `${outDir}: must be a folder apart from the shard folders (${s.dir} is ${inside(out, dir) ? "it or holds it" : "inside it"})`,
        "outDir",
      );
  }
}

/** The inputs here must be the shards' (same files, same bytes), or the merged folder would not be the experiment's. */
function checkInputs(recorded: ShardManifest, units: readonly ResolvedScenario[], problems: string[]): void {
  recorded.scenarios.forEach((s, i) => {
    const unit = units[i];
    if (!unit || resolvedHash(unit) !== s.resolved_sha256)
      problems.push(`scenario ${s.name} resolves differently here than on the shards`);
  });
  const here = new Set(inputFiles(units, recorded.experiment.data_dir));
  for (const input of recorded.inputs) {
    here.delete(input.file);
    if (!existsSync(input.file)) problems.push(`${input.file}: missing here (the shards read it)`);
    else if (sha256File(input.file) !== input.sha256)
      problems.push(`${input.file}: not the file the shards read (its sha256 differs)`);
  }
  for (const file of here) problems.push(`${file}: read here but not by the shards`);
}

/** Every run of every shard, placed by unit and replication; a run out of place, twice or missing is a problem. */
async function collectRuns(
  shards: readonly FoundShard[],
  units: readonly ResolvedScenario[],
  masterSeed: string,
  replications: number,
  problems: string[],
): Promise<RunMetrics[][]> {
  const metrics: RunMetrics[][] = units.map(() => new Array(replications));
  const owner = units.map(() => new Int32Array(replications).fill(-1));
  for (const [s, { dir, manifest }] of shards.entries()) {
    const file = join(dir, SHARD_RUNS);
    const declared = (u: number, r: number) =>
      manifest.runs.some((x) => x.unit === u && x.first <= r && r <= x.last);
    let count = 0;
    for await (const run of readShardRuns(file)) {
      count++;
      const { unit: u, replication: r } = run;
      const where = `${file}: ${units[u]?.name ?? `scenario ${u}`} replication ${r}`;
      if (!declared(u, r) || units[u] === undefined || !(r >= 0 && r < replications)) {
        problems.push(`${where}: not among the runs of shard ${shardLabel(manifest.shard)}`);
      } else if (owner[u]![r]! >= 0) {
        problems.push(`${where}: also in ${shards[owner[u]![r]!]!.dir}`);
      } else if (run.seed !== replicationSeed(masterSeed, r)) {
        problems.push(`${where}: seed ${run.seed} is not the experiment's`);
      } else {
        owner[u]![r] = s;
        metrics[u]![r] = run.metrics;
      }
    }
    if (count !== manifest.results.runs)
      problems.push(`${file}: ${count} run(s), ${SHARD_MANIFEST} says ${manifest.results.runs}`);
  }
  owner.forEach((o, u) => {
    const lacking = [...o.keys()].filter((r) => o[r]! < 0);
    if (lacking.length > 0)
      problems.push(
        `no shard holds ${units[u]!.name} replication(s) ${lacking.slice(0, 5).join(", ")}${lacking.length > 5 ? ` and ${lacking.length - 5} more` : ""}`,
      );
  });
  return metrics;
}

export async function mergeShards(dirs: readonly string[], opts: MergeOptions = {}): Promise<MergeReport> {
  if (dirs.length === 0) throw new InputError("merge: give the shard folders (or the folder holding them)");
  const problems: string[] = [];
  const found = shardFolders(dirs, problems)
    .map((dir) => readShardManifest(dir, problems))
    .filter((s): s is FoundShard => s !== undefined);
  if (found.length === 0) refuse(problems);
  const shards = oneExperiment(found, problems);
  if (problems.length > 0) refuse(problems);
  for (const { dir, manifest } of shards) {
    const file = join(dir, SHARD_RUNS);
    if (!existsSync(file)) problems.push(`${file}: missing`);
    else if (sha256File(file) !== manifest.results.sha256)
      problems.push(`${file}: not the file ${SHARD_MANIFEST} describes (its sha256 differs)`);
  }
  if (problems.length > 0) refuse(problems);

  const reference = shards[0]!.manifest;
  const { data_dir: dataDir, ...spec } = reference.experiment;
  const units = resolveUnits(spec, dataDir);
  checkInputs(reference, units, problems);
  if (problems.length > 0) refuse(problems);
  const outDir = opts.outDir ?? join("reports", reportName(spec, units));
  checkOutDir(outDir, shards);

  const metrics = await collectRuns(shards, units, spec.seed, spec.replications, problems);
  if (problems.length > 0) refuse(problems);
  const run = experimentRunOf(units, spec.seed, replicationSeeds(spec.seed, spec.replications), metrics, {
    mode: "in-thread",
    workers: 0,
  });
  const report = await writeExperimentFolder(spec, run, { outDir, dataDir, html: opts.html });
  return { ...report, shards: shards.map((s) => s.dir) };
}
