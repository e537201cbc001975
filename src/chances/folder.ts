import { inputFiles } from "../experiments/manifest.js";
import { claimRunFolder, experimentIdentity } from "../run-folder.js";
import type { ResolvedScenario } from "../scenario/extends.js";

export const CHANCES_CSV = "chances.csv";
export const CUTOFFS_CSV = "cutoffs.csv";
export const CHANCES_FILES = [CHANCES_CSV, CUTOFFS_CSV, "report.html", "manifest.json"] as const;

/**
 * The folder must be new, empty, or hold an earlier forecast of the same scenario (its files are
 * replaced), unless `force`; no output may be an input. Checked before the replications run, and again
 * before writing.
 */
export function claimChancesFolder(
  outDir: string,
  unit: ResolvedScenario,
  dataDir: string,
  extraInputs: readonly string[] = [],
  force?: boolean,
): void {
  claimRunFolder({
    dir: outDir,
    outputs: CHANCES_FILES,
    inputs: [...inputFiles([unit], dataDir), ...extraInputs],
    identity: experimentIdentity("chances", [unit.name]),
    force,
  });
}
