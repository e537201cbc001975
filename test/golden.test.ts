import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Pinned answers: each shipped scenario, run fresh with its own seed, must give the same bytes as
 * recorded in test/golden/<scenario>.sha256 (one `sha256  file` line per file of its run folder, the
 * format `sha256sum -c` reads). An unintended change to any answer fails here; an intended one is
 * recorded with `npm run pin`, which runs this file with QMAS_PIN=1 to rewrite the golden files.
 *
 * Every file of the folder is pinned, manifest.json included: it holds no time, host or absolute
 * path (the same run from two checkouts gives the same bytes), only the package version and the
 * hashes of the input files, so a new version or an edited data file is also a re-pin.
 */
const CLI = resolve("dist/cli/main.js");
const GOLDEN = join("test", "golden");
const PIN = process.env["QMAS_PIN"] === "1";
const SCENARIOS = readdirSync("scenarios")
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const out = mkdtempSync(join(tmpdir(), "qmas-golden-"));

/** The run folder of every scenario, two at a time (the CLI's own worker threads stay at one). */
const runs = new Map<string, Promise<string>>();
function runOf(file: string): Promise<string> {
  let run = runs.get(file);
  if (!run) {
    run = new Promise((done, fail) => {
      const dir = join(out, basename(file, ".yaml"));
      const child = spawn(
        process.execPath,
        [CLI, "run", join("scenarios", file), "--out", dir, "--quiet", "--jobs", "1"],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("close", (code) =>
        code === 0 ? done(dir) : fail(new Error(`run ${file} exited ${code}: ${stderr}`)),
      );
    });
    runs.set(file, run);
  }
  return run;
}

function checksums(dir: string): string {
  return readdirSync(dir)
    .filter((name) => !name.startsWith("."))
    .sort()
    .map(
      (name) =>
        `${createHash("sha256")
          .update(readFileSync(join(dir, name)))
          .digest("hex")}  ${name}\n`,
    )
    .join("");
}

beforeAll(() => {
  if (!existsSync(CLI))
    spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "."], {
      stdio: "inherit",
    });
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("pinned answers of the shipped scenarios", () => {
  it("every shipped scenario has a golden file, and every golden file a scenario", () => {
    const pinned = readdirSync(GOLDEN)
      .filter((f) => f.endsWith(".sha256"))
      .map((f) => `${basename(f, ".sha256")}.yaml`)
      .sort();
    if (PIN) {
      // a scenario that is gone takes its golden file with it
      for (const f of pinned)
        if (!SCENARIOS.includes(f)) rmSync(join(GOLDEN, f.replace(/\.yaml$/, ".sha256")));
      return;
    }
    expect(pinned).toEqual(SCENARIOS);
  });

  // start two runs at once: the machines have two cores
  for (const [i, file] of SCENARIOS.entries()) {
    it(`${file}: a fresh run gives the pinned bytes`, async () => {
      const next = SCENARIOS[i + 1];
      if (next !== undefined) void runOf(next).catch(() => undefined);
      const got = checksums(await runOf(file));
      const golden = join(GOLDEN, `${basename(file, ".yaml")}.sha256`);
      if (PIN) {
        writeFileSync(golden, got);
        return;
      }
      expect(existsSync(golden), `${golden} is missing: run npm run pin`).toBe(true);
      // on a difference: if the change of answer is intended, `npm run pin` records it
      expect(got).toBe(readFileSync(golden, "utf8"));
    });
  }
});
