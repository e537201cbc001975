import { existsSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The data/ folder shipped with the package (rules, talent lists, distribution specs). */
export const PACKAGE_DATA_DIR = fileURLToPath(new URL("../data", import.meta.url));

/**
 * The default data folder is "data" relative to where the command runs, so that a user's own copy
 * (or a checkout) wins; when there is none, the package's own data/ is used, so `qmas-sim` works from
 * any folder. The result stays relative when possible: paths recorded in manifests do not depend on
 * where the repository was cloned.
 */
export function resolveDataDir(dir: string): string {
  if (dir !== "data" || existsSync("data/rules")) return dir;
  return relative(process.cwd(), PACKAGE_DATA_DIR) || ".";
}
