import { createReadStream, createWriteStream, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { tempPathFor, writeFileAtomic } from "../atomic.js";
import { outputError } from "../errors.js";
import { sha256File } from "../file-hash.js";
import { packageVersion } from "../paths.js";
import { RNG_ALGORITHM } from "../random.js";
import { withModel } from "./experiment.js";
import { type ExperimentSpec, type FileHash, hashFile, inputFiles, resolvedHash } from "./manifest.js";
import type { RunMetrics } from "./metrics.js";
import { checkReplications, reportName, resolveUnits } from "./reports.js";
import { replicationSeed } from "./seeds.js";
import { type RunRange, type Shard, shardFolderName, shardLabel, shardRuns } from "./shard-plan.js";
import { defaultJobs, type ExecuteOptions, executeTasks, type Task } from "./workers.js";

/**
 * One shard of an experiment (`--shard i/N`): the runs the plan (./shard-plan.ts) gives it, with the
 * seeds a one-machine run gives those replications, written to a folder of its own:
 *
 *   shard.json      what the shard is part of (the experiment, its scenarios' and inputs' hashes, N)
 *                   and which runs it holds; `qmas-sim merge` checks it against the other shards
 *   runs.jsonl.gz   one line per run: unit, replication, seed and the run's metrics, exactly as the
 *                   model returned them, so the merge computes every table from the same numbers
 */
export const SHARD_MANIFEST = "shard.json";
export const SHARD_RUNS = "runs.jsonl.gz";
export const SHARD_FORMAT = 1;

export interface ShardManifest {
  tool: "qmas-sim";
  package_version: string;
  shard_format: typeof SHARD_FORMAT;
  shard: Shard;
  /** the experiment as asked for, as the merged manifest.json will record it */
  experiment: ExperimentSpec & { data_dir: string };
  rng: string;
  scenarios: { name: string; resolved_sha256: string }[];
  inputs: FileHash[];
  /** replications [first, last] of each unit this shard ran */
  runs: (RunRange & { scenario: string })[];
  results: { file: string; runs: number; sha256: string };
}

/** One line of runs.jsonl.gz. */
export interface ShardRun {
  unit: number;
  replication: number;
  seed: string;
  metrics: RunMetrics;
}

export interface ShardOptions extends Partial<Omit<ExecuteOptions, "prepareInThread">> {
  /** folder holding the shard folders (default reports/<experiment>-shards); this shard writes shard-i-of-N in it */
  outDir?: string;
}

export interface ShardReport {
  outDir: string;
  files: string[];
  manifest: ShardManifest;
}

// JSON has no -0, NaN or ±Infinity: they travel as {"num": text}, so every value comes back as it left
function encodeNumber(_key: string, value: unknown): unknown {
  if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0)))
    return { num: Object.is(value, -0) ? "-0" : String(value) };
  return value;
}

function decodeNumber(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const num = (value as { num?: unknown }).num;
    if (typeof num === "string" && Object.keys(value).length === 1) return num === "-0" ? -0 : Number(num);
  }
  return value;
}

export function encodeShardRun(run: ShardRun): string {
  return `${JSON.stringify(run, encodeNumber)}\n`;
}

export function decodeShardRun(line: string): ShardRun {
  return JSON.parse(line, decodeNumber) as ShardRun;
}

async function writeRunsFile(path: string, lines: Iterable<string>): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await pipeline(Readable.from(lines), createGzip(), createWriteStream(tmp));
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw outputError(path, err);
  }
}

/** Each line of a shard's runs file, decoded, in file order. */
export async function* readShardRuns(path: string): AsyncGenerator<ShardRun> {
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) if (line !== "") yield decodeShardRun(line);
}

function tasksOf(ranges: readonly RunRange[], masterSeed: string): Task[] {
  return ranges.flatMap((r) =>
    Array.from({ length: r.last - r.first + 1 }, (_, k) => ({
      unit: r.unit,
      replication: r.first + k,
      seed: replicationSeed(masterSeed, r.first + k),
    })),
  );
}

/** Run shard `shard` of the experiment `spec` and write its folder. */
export async function writeShard(
  spec: ExperimentSpec,
  shard: Shard,
  opts: ShardOptions = {},
): Promise<ShardReport> {
  const dataDir = opts.dataDir ?? "data";
  checkReplications(spec);
  const units = resolveUnits(spec, dataDir);
  const ranges = shardRuns(units.length, spec.replications, shard);
  const outDir = join(
    opts.outDir ?? join("reports", `${reportName(spec, units)}-shards`),
    shardFolderName(shard),
  );
  const tasks = tasksOf(ranges, spec.seed);
  const { results } = await executeTasks(
    units,
    tasks,
    withModel({
      jobs: opts.jobs ?? defaultJobs(),
      dataDir,
      onProgress: opts.onProgress,
      modelModule: opts.modelModule,
      workersFrom: opts.workersFrom,
    }),
  );
  const runsPath = join(outDir, SHARD_RUNS);
  await writeRunsFile(
    runsPath,
    tasks.map((t, i) => encodeShardRun({ ...t, metrics: results[i]! })),
  );
  const manifest: ShardManifest = {
    tool: "qmas-sim",
    package_version: packageVersion(),
    shard_format: SHARD_FORMAT,
    shard,
    experiment: { ...spec, data_dir: dataDir },
    rng: RNG_ALGORITHM,
    scenarios: units.map((u) => ({ name: u.name, resolved_sha256: resolvedHash(u) })),
    inputs: inputFiles(units, dataDir).map(hashFile),
    runs: ranges.map((r) => ({ ...r, scenario: units[r.unit]!.name })),
    results: { file: SHARD_RUNS, runs: tasks.length, sha256: sha256File(runsPath) },
  };
  writeFileAtomic(join(outDir, SHARD_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return { outDir, files: [SHARD_RUNS, SHARD_MANIFEST], manifest };
}

/** "shard 2/3: small-cell0 replications 0–9, small-cell1 replications 0–4" */
export function shardSummary(manifest: ShardManifest): string {
  const parts = manifest.runs.map((r) =>
    r.first === r.last
      ? `${r.scenario} replication ${r.first}`
      : `${r.scenario} replications ${r.first}–${r.last}`,
  );
  return `shard ${shardLabel(manifest.shard)}: ${manifest.results.runs} run(s): ${parts.join(", ")}`;
}
