import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { applicantChances, readApplicant } from "../../src/chances/applicant.js";
import { type ChancesForecast, curveAt, forecastChances } from "../../src/chances/forecast.js";
import { writeChances } from "../../src/chances/write.js";
import { InputError } from "../../src/errors.js";
import { folderContents } from "../../src/experiments/reports.js";

const SCORE_ONLY = "test/chances/fixtures/score-only.yaml";
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `qmas-chances-${name}-`));

function forecast(
  scenario: string,
  replications: number,
  exercises: number,
  extra: { seed?: string; from?: string } = {},
) {
  return forecastChances({
    scenario,
    replications,
    exercises,
    seed: extra.seed ?? "7",
    jobs: 1,
    ...(extra.from ? { from: extra.from } : {}),
  });
}

function expectMonotone(f: ChancesForecast): void {
  const K = f.options.exercises;
  for (let s = 0; s <= f.ruleSet.max_total; s++) {
    for (let k = 1; k <= K; k++) {
      const here = curveAt(f, f.route, s, k)!;
      expect(here.low).toBeLessThanOrEqual(here.p);
      expect(here.high).toBeGreaterThanOrEqual(here.p);
      if (s > 0) expect(here.p).toBeGreaterThanOrEqual(curveAt(f, f.route, s - 1, k)!.p - 1e-12);
      if (k > 1) expect(here.p).toBeGreaterThanOrEqual(curveAt(f, f.route, s, k - 1)!.p - 1e-12);
      if (s < f.passMark) expect(here).toMatchObject({ p: 0, low: 0, high: 0 });
    }
  }
}

describe("chances on the baseline (committee on, quota not binding)", async () => {
  const f = await forecast("scenarios/baseline.yaml", 6, 2);

  it("one row per score of the 2018 table and k, plus the APT; monotone; zero below the pass mark", () => {
    expect(f.ruleSet.id).toBe("qmas-gpt-2018");
    expect(f.passMark).toBe(80);
    expect(f.curves).toHaveLength(226 * 2 + 2);
    expectMonotone(f);
    expect(f.committee).toBe(true);
  });

  it("is the committee standard's probability (the quota never binds), never 1", () => {
    // log-odds −1.45 at the pass mark, + 3 at the maximum
    expect(curveAt(f, "gpt", 225, 1)!.p).toBeCloseTo(sigmoid(-1.45 + 3), 12);
    expect(curveAt(f, "gpt", 80, 2)!.p).toBeCloseTo(sigmoid(-1.45), 12);
    expect(curveAt(f, "apt", 225, 1)!.p).toBeCloseTo(0.9, 12);
    for (const c of f.curves) expect(c.high).toBeLessThan(1);
  });

  it("cutoffs: five quantiles per exercise, from the replications' lowest allotted scores", () => {
    expect(f.cutoffs.map((c) => [c.exercise, c.quarter, c.quantile])).toEqual(
      [1, 2].flatMap((e) => [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => [e, `2019Q${e}`, q])),
    );
    for (const c of f.cutoffs) {
      expect(c.n).toBe(6);
      expect(c.cutoff).toBeGreaterThanOrEqual(80);
    }
  });

  it("one applicant: score, chances for their sector, the score for 50 %, candidates ahead", async () => {
    const person = await readApplicant("data/samples/sample-pool.csv", "WA");
    const a = applicantChances(f, person);
    expect(a.total).toBe(85);
    expect(a.passes).toBe(true);
    const p = sigmoid(-1.45 + (3 * 5) / 145);
    expect(a.chances.map((c) => c.p)).toEqual([expect.closeTo(p, 12), expect.closeTo(p, 12)]);
    // 50 % where the log-odds reach 0: 80 + 145 × 1.45 / 3 = 150.1
    const half = a.targets.find((t) => t.level === 0.5 && t.k === 1)!;
    expect(half).toMatchObject({ score: 151, gain: 66, hints: [] });
    // no single change adds 66: explain's changes together, largest first, rescored (+30 +30 +20)
    expect(half.combined).toEqual({
      changes: [
        "a degree from a renowned institution",
        "a profession on talent-list-2018 (e.g. waste_treatment_specialist)",
        "another master's degree",
      ],
      total: 165,
    });
    // the standard tops out at sigmoid(1.55) = 82 %: 90 % cannot be reached
    expect(a.targets.find((t) => t.level === 0.9)!.score).toBeNull();
    expect(a.ahead!.places).toBe(1000);
    expect(a.ahead!.ranked).toBeGreaterThan(a.ahead!.approved);
  });
});

describe("chances when the score alone decides and the quota binds", async () => {
  const small = await forecast(SCORE_ONLY, 4, 2);
  const large = await forecast(SCORE_ONLY, 16, 2);

  it("monotone; a score above every cutoff is 1 with an interval below 1 that narrows with -n", () => {
    expectMonotone(small);
    expectMonotone(large);
    expect(small.committee).toBe(false);
    const a = curveAt(small, "gpt", 225, 1)!;
    const b = curveAt(large, "gpt", 225, 1)!;
    expect(a.p).toBe(1);
    expect(b.p).toBe(1);
    expect(a.low).toBeLessThan(b.low);
    expect(b.low).toBeLessThan(1);
    // the pass mark is below every cutoff: 0, with an interval that allows what 4 replications cannot exclude
    expect(curveAt(small, "gpt", 80, 1)!.p).toBe(0);
    expect(curveAt(small, "gpt", 80, 1)!.high).toBeGreaterThan(0);
  });

  it("same seed, same bytes; every output listed in the manifest", async () => {
    const again = await forecast(SCORE_ONLY, 4, 2);
    const [x, y] = [tmp("a"), tmp("b")];
    await writeChances(small, x);
    await writeChances(again, y);
    const one = folderContents(x);
    expect([...one.keys()]).toEqual(["chances.csv", "cutoffs.csv", "manifest.json", "report.html"]);
    expect(folderContents(y)).toEqual(one);
    const csv = readFileSync(join(x, "chances.csv"), "utf8").split("\n");
    expect(csv[0]).toBe("route,score,exercises,p_allotted,ci_low,ci_high");
    expect(csv).toContain("gpt,225,1,1,0.510109,1");
    expect(readFileSync(join(x, "cutoffs.csv"), "utf8").split("\n")[0]).toBe(
      "exercise,quantile,cutoff,quarter,replications",
    );
    const manifest = JSON.parse(readFileSync(join(x, "manifest.json"), "utf8"));
    expect(manifest.selection).toBe("score");
    expect(manifest.outputs.map((o: { file: string }) => o.file)).toEqual([
      "chances.csv",
      "cutoffs.csv",
      "report.html",
    ]);
    const other = await forecast(SCORE_ONLY, 4, 2, { seed: "8" });
    expect(other.cutoffs).not.toEqual(small.cutoffs);
  });
});

describe("chances under the 2024 criteria with approval bands", () => {
  it("criteria met 0..12, 0 below 6, the band's probability, a new verdict at each exercise", async () => {
    const f = await forecast("scenarios/criteria-2024-panel.yaml", 2, 2);
    expect(f.route).toBe("criteria");
    expect(f.passMark).toBe(6);
    expect(f.latentVerdicts).toBe(false);
    expect(f.curves).toHaveLength(13 * 2 + 2);
    expectMonotone(f);
    // bands 6–7: 0.3, 8–9: 0.6, 10+: 0.9; no quota, so always room; drawn anew: 1 − (1 − p)²
    expect(curveAt(f, "criteria", 7, 1)!.p).toBeCloseTo(0.3, 12);
    expect(curveAt(f, "criteria", 7, 2)!.p).toBeCloseTo(0.51, 12);
    expect(curveAt(f, "criteria", 12, 2)!.p).toBeCloseTo(0.99, 12);
  });
});

describe("chances on the history replay", () => {
  it("an application on launch day: assessed after the lag, first exercise 2006Q4", async () => {
    const f = await forecast("scenarios/history.yaml", 1, 2);
    expect(f.ruleSet.id).toBe("qmas-gpt-2006");
    expect(f.records[0]!.exercises.map((e) => e.k)).toEqual([2, 3]);
    expect(f.cutoffs.map((c) => c.quarter)).toEqual(
      [..."11111"].map(() => "2006Q4").concat([..."11111"].map(() => "2007Q1")),
    );
    expectMonotone(f);
  });

  it("refuses more exercises than the period holds, and a day outside it", async () => {
    await expect(forecast("scenarios/baseline.yaml", 1, 5)).rejects.toThrow(InputError);
    await expect(forecast("scenarios/baseline.yaml", 1, 5)).rejects.toThrow(
      /only 4 exercises from 2019-01-01/,
    );
    await expect(forecast("scenarios/baseline.yaml", 1, 1, { from: "2020-01-01" })).rejects.toThrow(
      /outside the scenario's period/,
    );
    for (const from of ["2019-13-01", "2019-02-30", "soon"])
      await expect(forecast("scenarios/baseline.yaml", 1, 1, { from })).rejects.toThrow(
        /expects a date YYYY-MM-DD/,
      );
  });
});

describe("qmas-sim chances (command line)", () => {
  const CLI = resolve("dist/cli/main.js");
  const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

  it("answers for one applicant and writes the folder", () => {
    const out = tmp("cli");
    const r = cli([
      "chances",
      "scenarios/baseline.yaml",
      "-n",
      "2",
      "--exercises",
      "2",
      "--applicants",
      "data/samples/sample-pool.csv",
      "--id",
      "WA",
      "--out",
      out,
      "--jobs",
      "1",
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Total: 85 / 225; pass mark 80 → PASSED");
    expect(r.stdout).toContain("Selection is not by score alone");
    expect(r.stdout).toMatch(/within 1 exercise: 21 % \(95 % CI/);
    expect(r.stdout).toContain(
      "50 % within 1 exercise: 151 points, 66 more, e.g. a degree from a renowned institution",
    );
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).experiment.id).toBe("WA");
  });

  it("owns its folder: the same forecast again replaces it, another folder's files need --force", () => {
    const out = tmp("own");
    const args = [
      "chances",
      "scenarios/baseline.yaml",
      "-n",
      "1",
      "--exercises",
      "1",
      "--out",
      out,
      "--quiet",
      "--jobs",
      "1",
    ];
    expect(cli(args).status).toBe(0);
    expect(cli(args).status).toBe(0);
    writeFileSync(
      join(out, "manifest.json"),
      JSON.stringify({ tool: "qmas-sim", scenario: { name: "other" } }),
    );
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("holds another run (run other)");
    expect(cli([...args, "--force"]).status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).scenarios[0].name).toBe("baseline");
  });

  it("a wrong id or a lone --id is a usage error, before anything runs", () => {
    const r = cli([
      "chances",
      "scenarios/baseline.yaml",
      "--applicants",
      "data/samples/sample-pool.csv",
      "--id",
      "nobody",
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no applicant with id 'nobody'/);
    expect(cli(["chances", "scenarios/baseline.yaml", "--id", "WA"]).status).toBe(2);
  });
});

describe("threads", () => {
  it("the same bytes on worker threads as in this one", async () => {
    const CLI = resolve("dist/cli/main.js");
    const [one, two] = [tmp("j1"), tmp("j2")];
    for (const [dir, jobs] of [
      [one, "1"],
      [two, "2"],
    ] as const) {
      const r = spawnSync(
        process.execPath,
        [CLI, "chances", SCORE_ONLY, "-n", "4", "--exercises", "2", "--jobs", jobs, "--out", dir, "--quiet"],
        {
          encoding: "utf8",
        },
      );
      expect(r.status, r.stderr).toBe(0);
    }
    expect(folderContents(two)).toEqual(folderContents(one));
  });
});
