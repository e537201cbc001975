import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { sha256File } from "../file-hash.js";
import { packageVersion, resolveDataDir } from "../paths.js";
import { RNG_ALGORITHM } from "../random.js";
import type { ResolvedScenario } from "../scenario/extends.js";

/**
 * manifest.json of an experiment folder: everything needed to say what was run and to run it again
 * (`qmas-sim rerun`). It holds no timestamps, host names or job counts, so the same inputs give the
 * same bytes whether run serially, on workers, today or next year.
 */
export interface FileHash {
  file: string;
  sha256: string;
}

export type ExperimentSpec =
  | { command: "replicate"; scenario: string; replications: number; seed: string }
  | { command: "validate"; scenario: string; replications: number; seed: string }
  | { command: "compare"; baseline: string; reform: string; replications: number; seed: string }
  | {
      command: "sweep";
      scenario: string;
      vary: { path: string; values: unknown[] }[];
      replications: number;
      seed: string;
    };

export interface ExperimentManifest {
  tool: "qmas-sim";
  package_version: string;
  manifest_version: 1;
  /** the experiment as asked for; `qmas-sim rerun` runs exactly this again */
  experiment: ExperimentSpec & { data_dir: string };
  rng: string;
  seed_derivation: string;
  /** replication i uses seeds[i] in every scenario of the experiment */
  seeds: string[];
  scenarios: {
    name: string;
    chain: string[];
    question: string;
    overrides: { file: string; path: string; value: unknown }[];
    /** content hash of the resolved scenario (scenario, changed rules, changed spec) */
    resolved_sha256: string;
    scenario: Record<string, unknown>;
    /** rule-set ids in the book the runs used (changed ones are in `overrides`) */
    rule_sets: string[];
  }[];
  /** every input file read, with its hash: a rerun refuses to run when one has changed */
  inputs: FileHash[];
  /** every output file of the folder except this manifest */
  outputs: FileHash[];
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function hashFile(file: string): FileHash {
  return { file, sha256: sha256File(file) };
}

/** JSON with object keys sorted, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, (v as Record<string, unknown>)[k]]),
      );
    }
    return v;
  });
}

export function resolvedHash(unit: ResolvedScenario): string {
  return sha256(canonicalJson({ scenario: unit.scenario, rules: unit.rules, spec: unit.spec }));
}

function yamlFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .map((f) => join(dir, f));
}

function cwdRelative(file: string): string {
  return relative(process.cwd(), file) || file;
}

/** The files a set of resolved scenarios depends on: scenario chains, rule book, spec, CSV pool. */
export function inputFiles(units: readonly ResolvedScenario[], dataDirGiven: string): string[] {
  const dataDir = resolveDataDir(dataDirGiven);
  const files = new Set<string>();
  for (const u of units) for (const f of u.chain) files.add(f);
  for (const f of yamlFilesIn(join(dataDir, "rules"))) files.add(cwdRelative(f));
  for (const f of yamlFilesIn(join(dataDir, "talent-lists"))) files.add(cwdRelative(f));
  // a validation compares with the published figures: they are inputs of its tables
  if (units.some((u) => "figures" in u && u.figures !== undefined))
    for (const f of yamlFilesIn(join(dataDir, "published"))) files.add(cwdRelative(f));
  for (const u of units) {
    const pool = u.scenario["pool"] as { csv?: string; spec?: string };
    if (pool.csv !== undefined) files.add(pool.csv);
    const timeline = (u.scenario["timeline"] ?? []) as { set: Record<string, unknown> }[];
    const specs = [pool.spec, ...timeline.map((e) => e.set["pool.spec"])];
    for (const spec of specs) {
      if (typeof spec !== "string") continue;
      const isPath = spec.includes("/") || /\.ya?ml$/i.test(spec);
      files.add(isPath ? spec : cwdRelative(join(dataDir, "distributions", `${spec}.yaml`)));
    }
  }
  return [...files];
}

export const SEED_DERIVATION =
  'replication i: deriveSeed(master, "replication", i) = sha256(master \\0 "replication" \\0 i), first 32 hex digits';

export function buildManifest(args: {
  experiment: ExperimentSpec & { data_dir: string };
  seeds: string[];
  units: readonly ResolvedScenario[];
  ruleSetIds: string[];
  outputs: FileHash[];
}): ExperimentManifest {
  const { experiment, seeds, units, outputs } = args;
  return {
    tool: "qmas-sim",
    package_version: packageVersion(),
    manifest_version: 1,
    experiment,
    rng: RNG_ALGORITHM,
    seed_derivation: SEED_DERIVATION,
    seeds,
    scenarios: units.map((u) => ({
      name: u.name,
      chain: u.chain,
      question: u.question,
      overrides: u.overrides,
      resolved_sha256: resolvedHash(u),
      scenario: u.scenario,
      rule_sets: u.rules ? u.rules.ruleSets.map((r) => r.id) : args.ruleSetIds,
    })),
    inputs: inputFiles(units, experiment.data_dir).map(hashFile),
    outputs,
  };
}
