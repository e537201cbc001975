import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

// These run the compiled command line as a user would (npm ci builds dist/ through `prepare`).
const CLI = resolve("dist/cli/main.js");
function cli(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI))
    spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "."], {
      stdio: "inherit",
    });
});

describe("command line, from a user's point of view", () => {
  it("works from any folder: the package's data/ is used when the current folder has none", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmas-cwd-"));
    const r = cli(["rules", "list"], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain("qmas-gpt-2018");
    const g = cli(["generate", "--spec", "qmas-2021", "--count", "2", "--seed", "1"], dir);
    expect(g.code).toBe(0);
    expect(g.out.trim().split("\n")).toHaveLength(3);
  });

  it("never overwrites the input pool with an output", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmas-same-"));
    const pool = join(dir, "pool.csv");
    copyFileSync("data/samples/sample-pool.csv", pool);
    const before = readFileSync(pool, "utf8");
    const r = cli(["score", pool, "-o", pool]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/-o output .*pool\.csv is the same file as the input pool/);
    const s = cli(["score", pool, "--rejects", join(dir, ".", "pool.csv")]);
    expect(s.code).toBe(2);
    expect(readFileSync(pool, "utf8")).toBe(before);
  });

  it("suggests the rule set meant by a near miss, and usage errors exit 2 (help exits 0)", () => {
    const r = cli(["score", "data/samples/sample-pool.csv", "--rules", "qmas-gpt-218"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^unknown rule set 'qmas-gpt-218' \(known: .*\); did you mean 'qmas-gpt-2018'\?\n$/,
    );
    expect(cli(["generate", "--count", "3", "--seed", "1"]).code).toBe(2);
    expect(cli(["--help"]).code).toBe(0);
  });
});
