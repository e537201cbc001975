import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The data/ folder shipped with the package (rules, talent lists, distribution specs). */
export const PACKAGE_DATA_DIR = fileURLToPath(new URL("../data", import.meta.url));
/** The package folder (holding src/, dist/ and data/). */
const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));

let cachedVersion: string | undefined;

/** The version in the package's package.json, as manifests and reports record it. */
export function packageVersion(): string {
  if (cachedVersion === undefined) {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: string };
    cachedVersion = String(pkg.version ?? "unknown");
  }
  return cachedVersion;
}

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

/**
 * Where a compiled module of the package is, for worker threads (which need JavaScript): `file` beside
 * the calling module when that module runs from dist/, else the same path under dist/ (sources under a
 * test runner).
 */
export function compiledModulePath(callerUrl: string, file: string): string {
  const caller = fileURLToPath(callerUrl);
  const folder = dirname(caller);
  return caller.endsWith(".ts")
    ? join(PACKAGE_ROOT, "dist", relative(join(PACKAGE_ROOT, "src"), folder), file)
    : join(folder, file);
}

/** compiledModulePath, or undefined when the package has not been built. */
export function compiledModule(callerUrl: string, file: string): string | undefined {
  const path = compiledModulePath(callerUrl, file);
  return existsSync(path) ? path : undefined;
}
