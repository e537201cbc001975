import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The compiled command line, run as a user would (the hardening tests are about what users see). */
export const CLI = resolve("dist/cli/main.js");
/** relative to the repository root, as the error messages print it */
export const FIXTURES = "test/fixtures/bad-inputs";

export function ensureBuilt(): void {
  if (!existsSync(CLI))
    spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "."], {
      stdio: "inherit",
    });
}

export function cli(args: string[], opts: { cwd?: string; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    encoding: "utf8",
    timeout: opts.timeout ?? 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}
