import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { registerRun } from "../../src/cli/run.js";
import { captureCli } from "../cli-capture.js";

const runCli = (args: string[]) => captureCli(registerRun, ["run", ...args]);

afterEach(() => {
  process.exitCode = undefined;
});

describe("qmas-sim run", () => {
  const dir = mkdtempSync(join(tmpdir(), "qmas-cli-run-"));
  const file = join(dir, "tiny.yaml");
  writeFileSync(
    file,
    "name: tiny\nseed: 3\nperiod: { from: '2019-01-01', quarters: 2 }\npool: { spec: qmas-2021, arrivals_per_quarter: 150 }\nquota: { per_year: 200 }\n",
  );

  test("writes the four files, the report and its summary, and prints where they are and a five-line summary", async () => {
    const out = join(dir, "out");
    const r = await runCli([file, "--out", out]);
    expect(r.code).toBeUndefined();
    for (const f of [
      "decisions.csv",
      "rounds.csv",
      "cohort.csv",
      "manifest.json",
      "report.html",
      "summary.md",
    ])
      expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<svg");
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toBe(
      `reports written to ${out}/ (decisions.csv, rounds.csv, cohort.csv, residence.csv, cohorts.csv, manifest.json, report.html, summary.md)`,
    );
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual([
      "applications",
      "allotted",
      "persons admitted",
      "median cutoff",
      "median wait",
    ]);
    expect(lines[2]).toMatch(/^allotted\s+100 of 100 places/);
  });

  test("--quiet prints only the folder; --seed is the run's seed", async () => {
    const a = await runCli([file, "--out", join(dir, "q"), "--quiet", "--seed", "9"]);
    expect(a.out.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, "q", "manifest.json"), "utf8")).seed).toBe(9);
  });

  test("--replications N runs an experiment: per-replication seeds and a summary with 95 % CIs", async () => {
    const out = join(dir, "reps");
    const r = await runCli([file, "--out", out, "--replications", "3", "--jobs", "1", "--quiet"]);
    expect(r.code).toBeUndefined();
    const summary = readFileSync(join(out, "summary.csv"), "utf8").split("\n");
    expect(summary[0]).toContain("ci95_low");
    const reps = readFileSync(join(out, "replications.csv"), "utf8").trim().split("\n");
    const header = reps[0]!.split(",");
    const seeds = new Set(reps.slice(1).map((l) => l.split(",")[header.indexOf("seed")]));
    expect(seeds.size).toBe(3);
  });

  test("a bad scenario is one line on stderr naming file, key and the key meant, exit code 2", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      "pool: { spec: qmas-2021, arrivals_per_quarter: 10 }\nquota: { per_year: 4 }\nunused_qouta: lapse\n",
    );
    const r = await runCli([bad, "--out", join(dir, "bad")]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${bad}: unused_qouta: unknown key (did you mean 'unused_quota'?)\n`);
  });

  test("a CSV pool with a misspelt Talent List profession runs, with a warning naming the file, rows and the key meant", async () => {
    const pool = join(dir, "typo-pool.csv");
    writeFileSync(
      pool,
      [
        "id,applied_on,age,bachelor_degrees,master_degrees,years_experience,english,profession",
        "T1,2019-02-01,30,1,1,6,true,actuarry",
        "T2,2019-02-02,31,1,1,6,true,actuary",
      ].join("\n"),
    );
    const scenario = join(dir, "typo.yaml");
    writeFileSync(
      scenario,
      `name: typo\nseed: 1\npool: { csv: ${JSON.stringify(pool)} }\nquota: { per_year: 8 }\n`,
    );
    const r = await runCli([scenario, "--out", join(dir, "typo"), "--quiet"]);
    expect(r.code ?? 0).toBe(0);
    // the pool path as the scenario resolved it (relative to the working folder)
    expect(r.err.split("\n")).toEqual([
      expect.stringMatching(
        /typo-pool\.csv: warning: profession 'actuarry' \(1 row\) is on no Talent List and earns no Talent List points; did you mean 'actuary'\?$/,
      ),
      "",
    ]);
    expect(existsSync(join(dir, "typo", "decisions.csv"))).toBe(true);
  });
});
