import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TEMPORARY_NAME } from "./atomic.js";
import { InputError } from "./errors.js";
import { checkFolderOutputs, checkOutputFile, removeQuietly } from "./output-guard.js";

/**
 * A run's output folder is owned by one run (or experiment) at a time. Before anything is computed:
 * every output must be able to be a regular file, none may be an input, and the folder must be empty,
 * hold only this run's outputs, or hold an earlier run of the same scenario (it is replaced), unless
 * `force`. Then the old manifest.json is removed first and the new one written last, so a folder whose
 * run was interrupted has no manifest and never looks complete.
 */
export interface RunFolderClaim {
  /** the folder */
  dir: string;
  /** file names the run writes there (manifest.json included) */
  outputs: readonly string[];
  /** every input file of the run (scenario chain, pool, spec, rule sets) */
  inputs: readonly string[];
  /** "run baseline", "compare baseline vs quota-doubled", …: what the folder's manifest must say */
  identity: string;
  /** take the folder whatever it holds */
  force?: boolean;
}

/** What a manifest.json says the folder holds, in the words of RunFolderClaim.identity. */
export function manifestIdentity(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m["tool"] !== "qmas-sim") return undefined;
  const experiment = m["experiment"] as { command?: unknown } | undefined;
  if (experiment && typeof experiment.command === "string") {
    const names = Array.isArray(m["scenarios"])
      ? (m["scenarios"] as { name?: unknown }[]).map((s) => String(s?.name))
      : [];
    return experimentIdentity(experiment.command, names);
  }
  const scenario = m["scenario"] as { name?: unknown } | undefined;
  if (scenario && typeof scenario.name === "string") return `run ${scenario.name}`;
  return undefined;
}

export function experimentIdentity(command: string, names: readonly string[]): string {
  // sweep cells are named <scenario>-cell<i>: the first one names the sweep
  return command === "sweep" ? `sweep ${names[0] ?? ""}` : `${command} ${names.join(" vs ")}`;
}

function readIdentity(file: string): string | undefined {
  try {
    return manifestIdentity(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return undefined;
  }
}

/** Check the folder (see RunFolderClaim); throws a UsageError naming the folder and --force. */
export function claimRunFolder(claim: RunFolderClaim): void {
  const { dir, outputs } = claim;
  for (const name of outputs) checkOutputFile(join(dir, name));
  checkFolderOutputs(dir, outputs, claim.inputs);
  if (claim.force || !existsSync(dir) || !statSync(dir).isDirectory()) return;
  const manifest = join(dir, "manifest.json");
  if (existsSync(manifest)) {
    const held = readIdentity(manifest);
    if (held !== claim.identity)
      throw new InputError(
        `${dir}/ holds ${held === undefined ? "a manifest.json that is not one of qmas-sim" : `another run (${held})`}: choose another --out, or add --force to replace its files`,
      );
    return;
  }
  const own = new Set(outputs);
  const foreign = readdirSync(dir).filter((f) => !own.has(f) && !TEMPORARY_NAME.test(f));
  if (foreign.length > 0)
    throw new InputError(
      `${dir}/ is not empty and holds no run (${foreign.length} other file(s), e.g. ${foreign.slice(0, 3).join(", ")}): choose an empty or new --out, or add --force`,
    );
}

/** Remove the folder's manifest.json before new outputs are written: a half-written folder has none. */
export function dropOldManifest(dir: string): void {
  removeQuietly(join(dir, "manifest.json"));
}
