import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerRerun } from "../../src/cli/rerun.js";
import { writeExperimentReport } from "../../src/experiments/reports.js";
import { rerunManifest } from "../../src/experiments/rerun.js";
import { runScenarioFileInto } from "../../src/experiments/run-scenario.js";
import { captureCli } from "../cli-capture.js";

/** rerun compares against the files of the folder (not the manifest's hashes) and never writes the folder. */
const small = "test/experiments/fixtures/small.yaml";
const tmp = () => mkdtempSync(join(tmpdir(), "qmas-rerun-test-"));

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir))
    out[f] = `${statSync(join(dir, f)).mtimeMs} ${readFileSync(join(dir, f), "hex")}`;
  return out;
}

const rerunCli = (args: string[]) => captureCli(registerRerun, ["rerun", ...args, "--quiet", "--jobs", "1"]);

afterEach(() => {
  process.exitCode = undefined;
});

describe("rerun of an experiment folder", () => {
  const folder = tmp();
  beforeAll(async () => {
    await writeExperimentReport(
      { command: "replicate", scenario: small, replications: 2, seed: "r" },
      { outDir: folder, jobs: 1 },
    );
  });

  it("an untouched folder is reproduced (exit 0) and the folder is not written", async () => {
    const before = snapshot(folder);
    const { out, err, code } = await rerunCli([join(folder, "manifest.json")]);
    expect(err).toBe("");
    expect(code).toBeUndefined();
    expect(out).toMatch(/^reproduced byte for byte: \d+ file\(s\)/);
    expect(snapshot(folder)).toEqual(before);
  });

  it("an edited, a deleted and an added file are each named on stderr, exit 1; the original stays as the user left it", async () => {
    const copy = tmp();
    await writeExperimentReport(
      { command: "replicate", scenario: small, replications: 2, seed: "r" },
      { outDir: copy, jobs: 1 },
    );
    const edited = `${readFileSync(join(copy, "summary.md"), "utf8")}edited\n`;
    writeFileSync(join(copy, "summary.md"), edited);
    writeFileSync(join(copy, "notes.txt"), "mine\n");
    const { rmSync } = await import("node:fs");
    rmSync(join(copy, "replications.csv"));
    const before = snapshot(copy);
    const { err, code } = await rerunCli([join(copy, "manifest.json")]);
    expect(code).toBe(1);
    expect(err.trim().split("\n").sort()).toEqual(
      [
        `${copy}/notes.txt: missing from the re-run`,
        `${copy}/replications.csv: not in the original folder`,
        `${copy}/summary.md: differs`,
      ].sort(),
    );
    expect(snapshot(copy)).toEqual(before);
  });

  it("--out keeps the re-run there and compares it with the original; --out inside the original is refused", async () => {
    const out = join(tmp(), "again");
    const result = await rerunManifest(join(folder, "manifest.json"), { outDir: out, jobs: 1 });
    expect(result.different).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(readdirSync(folder).sort());
    await expect(rerunManifest(join(folder, "manifest.json"), { outDir: folder })).rejects.toThrow(/outside/);
    await expect(
      rerunManifest(join(folder, "manifest.json"), { outDir: join(folder, "sub") }),
    ).rejects.toThrow(/outside/);
  });
});

describe("rerun of a single run folder", () => {
  const dir = tmp();
  const scenario = join(dir, "tiny.yaml");
  const reform = join(dir, "tiny-more.yaml");
  writeFileSync(scenario, readFileSync(small, "utf8"));
  writeFileSync(reform, "extends: tiny.yaml\nname: tiny-more\noverrides:\n  quota.per_year: 320\n");

  it("re-runs a reform with the recorded seed (not the scenario's) and finds every file identical", async () => {
    const folder = join(dir, "run");
    await runScenarioFileInto(reform, folder, 99);
    const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8"));
    expect(manifest.seed).toBe(99);
    const result = await rerunManifest(join(folder, "manifest.json"));
    expect(result.kind).toBe("run");
    expect(result.different).toEqual([]);
    expect(result.identical).toEqual([
      "cohort.csv",
      "cohorts.csv",
      "decisions.csv",
      "manifest.json",
      "report.html",
      "residence.csv",
      "rounds.csv",
      "summary.md",
    ]);
  });

  it("an edited decisions.csv is a difference; a changed input file refuses to start", async () => {
    const folder = join(dir, "run2");
    await runScenarioFileInto(scenario, folder);
    writeFileSync(join(folder, "decisions.csv"), `${readFileSync(join(folder, "decisions.csv"), "utf8")}x\n`);
    const result = await rerunManifest(join(folder, "manifest.json"));
    expect(result.different).toEqual([{ file: "decisions.csv", how: "differs" }]);
    writeFileSync(scenario, `${readFileSync(small, "utf8")}# edited\n`);
    await expect(rerunManifest(join(folder, "manifest.json"))).rejects.toThrow(
      /tiny\.yaml: changed since the run/,
    );
  });
});
