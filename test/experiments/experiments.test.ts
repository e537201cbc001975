import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { folderContents, writeExperimentReport } from "../../src/experiments/reports.js";
import { rerunManifest } from "../../src/experiments/rerun.js";
import { replicationSeeds } from "../../src/experiments/seeds.js";

/**
 * Experiments on a small scenario (2 quarters, ~120 applications a quarter) so each run takes
 * milliseconds. Worker threads load the compiled dist/; it is built here when missing or older than
 * the sources (CI builds it in `npm ci`). The serial and parallel runs both use the compiled model, so
 * their byte identity does not depend on how fresh dist/ is.
 */
const fixtures = "test/experiments/fixtures";
const small = join(fixtures, "small.yaml");
const compiledModel = pathToFileURL(join("dist", "experiments", "model.js")).href;

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestSource(path) : name.endsWith(".ts") ? st.mtimeMs : 0);
  }
  return newest;
}

beforeAll(() => {
  const worker = join("dist", "experiments", "worker.js");
  if (!existsSync(worker) || statSync(worker).mtimeMs < newestSource("src")) {
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", ".", "--noCheck"], {
      stdio: "inherit",
    });
  }
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "qmas-exp-"));
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file), { columns: true }) as Record<string, string>[];
}

describe("compare", () => {
  it("with common random numbers, a reform equal to the baseline differs by exactly 0 everywhere", async () => {
    const out = tmp();
    const report = await writeExperimentReport(
      {
        command: "compare",
        baseline: small,
        reform: join(fixtures, "small-same.yaml"),
        replications: 3,
        seed: "crn",
      },
      { outDir: out, jobs: 1, html: false },
    );
    expect(report.files.sort()).toEqual(["changes.csv", "compare.csv", "manifest.json", "replications.csv"]);
    const rows = readCsv(join(out, "compare.csv"));
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) {
      expect(r["baseline_mean"]).toBe(r["reform_mean"]);
      // n = replications with a value on both sides: 0 when never applicable (a share when nobody was
      // allotted), 1 for a cohort group present in one replication only (no sd or CI from one value)
      if (r["n"] === "0") continue;
      const stats = [
        r["difference"],
        r["difference_sd"],
        r["difference_ci95_low"],
        r["difference_ci95_high"],
      ];
      expect([r["table"], r["key"], r["metric"], ...stats]).toEqual([
        r["table"],
        r["key"],
        r["metric"],
        ...(r["n"] === "1" ? ["0", "", "", ""] : ["0", "0", "0", "0"]),
      ]);
    }
    expect(rows.filter((r) => Number(r["n"]) === 3).length).toBeGreaterThan(50);
    expect(readFileSync(join(out, "changes.csv"), "utf8")).toBe("path,baseline,reform\n");
  });

  it("doubling the quota: the changed parameter, and more allotted in every replication", async () => {
    const out = tmp();
    await writeExperimentReport(
      {
        command: "compare",
        baseline: small,
        reform: join(fixtures, "small-doubled.yaml"),
        replications: 3,
        seed: "crn",
      },
      { outDir: out, jobs: 1, html: false },
    );
    expect(readFileSync(join(out, "changes.csv"), "utf8")).toBe(
      "path,baseline,reform\nquota.per_year,160,320\n",
    );
    const allotted = readCsv(join(out, "compare.csv")).find(
      (r) => r["table"] === "run" && r["metric"] === "allotted",
    )!;
    expect(Number(allotted["difference"])).toBeGreaterThan(0);
    expect(Number(allotted["difference_ci95_low"])).toBeGreaterThan(0);
    // the seed is on every per-replication row, the same three seeds for both scenarios
    const reps = readCsv(join(out, "replications.csv"));
    const seeds = replicationSeeds("crn", 3);
    for (const name of ["small", "small-doubled"]) {
      const mine = reps.filter(
        (r) => r["scenario"] === name && r["metric"] === "allotted" && r["table"] === "run",
      );
      expect(mine.map((r) => [r["replication"], r["seed"]])).toEqual(seeds.map((s, i) => [String(i), s]));
    }
  });
});

describe("sweep, parallel execution and rerun", () => {
  const spec = {
    command: "sweep" as const,
    scenario: small,
    vary: [
      { path: "quota.per_year", values: [80, 160] },
      { path: "pass_mark", values: [80, 100] },
    ],
    replications: 2,
    seed: "sweep",
  };

  it("a full factorial grid: one row per cell, the same seeds in every cell; workers give the same bytes as one thread", async () => {
    const serial = tmp();
    const parallel = tmp();
    const a = await writeExperimentReport(spec, { outDir: serial, jobs: 1, modelModule: compiledModel });
    const b = await writeExperimentReport(spec, {
      outDir: parallel,
      jobs: 2,
      modelModule: compiledModel,
      workersFrom: 0,
    });
    expect(a.run.mode).toBe("in-thread");
    expect(b.run.mode).toBe("workers");
    expect(b.run.workers).toBe(2);
    expect(folderContents(parallel)).toEqual(folderContents(serial));

    const cells = readCsv(join(serial, "sweep.csv"));
    expect(cells.map((c) => [c["cell"], c["quota.per_year"], c["pass_mark"]])).toEqual([
      ["0", "80", "80"],
      ["1", "80", "100"],
      ["2", "160", "80"],
      ["3", "160", "100"],
    ]);
    // a quota of 80 a year is 20 per quarterly exercise; 2 quarters allot 40 in every replication
    expect(cells[0]!["allotted_mean"]).toBe("40");
    expect(cells[0]!["allotted_ci95_low"]).toBe("40");
    const reps = readCsv(join(serial, "replications.csv"));
    const perCell = reps.filter((r) => r["table"] === "run" && r["metric"] === "allotted");
    expect(perCell).toHaveLength(4 * 2);
    expect(perCell.map((r) => r["seed"])).toEqual([0, 1, 2, 3].flatMap(() => replicationSeeds("sweep", 2)));
  });

  it("rerun reproduces the folder byte for byte", async () => {
    const first = tmp();
    const again = tmp();
    await writeExperimentReport({ ...spec, vary: [spec.vary[0]!] }, { outDir: first, jobs: 1 });
    const manifest = JSON.parse(readFileSync(join(first, "manifest.json"), "utf8"));
    expect(manifest.seeds).toEqual(replicationSeeds("sweep", 2));
    expect(manifest.scenarios.map((s: { name: string }) => s.name)).toEqual(["small-cell0", "small-cell1"]);
    expect(manifest.inputs.map((i: { file: string }) => i.file)).toContain(
      "test/experiments/fixtures/small.yaml",
    );
    const result = await rerunManifest(join(first, "manifest.json"), { outDir: again, jobs: 1 });
    expect(result.different).toEqual([]);
    expect(result.identical.sort()).toEqual([
      "manifest.json",
      "replications.csv",
      "report.html",
      "summary.md",
      "sweep-metrics.csv",
      "sweep.csv",
    ]);
    expect(folderContents(again)).toEqual(folderContents(first));
  });
});
