import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cliMessage, UsageError } from "../src/cli/usage-error.js";
import * as errors from "../src/errors.js";
import * as api from "../src/index.js";
import { ResidenceDataError } from "../src/residence/index.js";

beforeAll(() => {
  if (!existsSync("dist/index.js"))
    spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "."], {
      stdio: "inherit",
    });
});

describe("the public API (src/index.ts)", () => {
  it("exports exactly the documented runtime names: adding or removing one is a decision, not an accident", () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        "ACHIEVEMENTS",
        "APPLICANT_COLUMNS",
        "CsvFileError",
        "CsvRowError",
        "DECISIONS",
        "ErrorList",
        "GENERATOR_ALGORITHM",
        "InputError",
        "OutputError",
        "QmasError",
        "ResidenceDataError",
        "RuleBook",
        "RuleSetError",
        "SCHEME_OPENED_ON",
        "SEXES",
        "ScenarioError",
        "SpecError",
        "WorkerError",
        "applicantAt",
        "applySpecOverrides",
        "changedParameters",
        "cohortTable",
        "compareReportModel",
        "compareSeries",
        "defaultApplicant",
        "explainApplicant",
        "formatIsoDay",
        "formatQuarter",
        "formatRuleSet",
        "generatePool",
        "idOf",
        "listDistributionSpecs",
        "loadDistributionSpec",
        "loadRuleBook",
        "loadScenario",
        "loadScenarioInputs",
        "mergeShards",
        "parseApplicantRow",
        "parseDistributionSpec",
        "parseIsoDay",
        "parseVary",
        "passMarkOf",
        "poolFromApplicants",
        "readApplicantCsv",
        "renderReport",
        "replicationReportModel",
        "replicationSeeds",
        "rerunManifest",
        "residenceCohorts",
        "residenceQuarters",
        "residenceTotals",
        "resolveScenario",
        "ruleBookFrom",
        "runExperiment",
        "runReportModel",
        "runScenario",
        "runScenarioFileInto",
        "runScenarioParallel",
        "scoreApplicant",
        "scorePool",
        "summarizeRun",
        "summarizeSeries",
        "summarizeValues",
        "sweepGrid",
        "sweepReportModel",
        "validateScenario",
        "writeApplicantCsv",
        "writeExperimentHtmlReport",
        "writeExperimentReport",
        "writeReport",
        "writeRunOutputs",
        "writeScenarioRunReport",
        "writeShard",
      ].sort(),
    );
  });

  it("the example of docs/api.md runs as written and prints the run's totals", async () => {
    const doc = readFileSync("docs/api.md", "utf8");
    const code = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(code).toBeDefined();
    // inside the repository, "qmas-sim" resolves to the package itself (its exports map)
    mkdirSync(".tmp", { recursive: true });
    const file = join(".tmp", "api-example.mjs");
    rmSync(join(".tmp", "api-example-compare"), { recursive: true, force: true });
    writeFileSync(file, code!);
    const r = spawnSync(process.execPath, [file], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // the totals it prints are those of the same run made here (the answers themselves are pinned in
    // test/golden), and the comparison's folder is complete
    const scenario = api.loadScenario("scenarios/baseline.yaml");
    const totals = api.summarizeRun(
      api.runScenario(scenario, await api.loadScenarioInputs(scenario), { seed: 7 }).result,
    );
    expect(r.stdout).toBe(
      `${totals.applications} applications, ${totals.allotted} allotted\n` +
        "wrote changes.csv, compare.csv, replications.csv, report.html, summary.md, manifest.json to .tmp/api-example-compare\n",
    );
  });
});

describe("errors", () => {
  it("every error class sets its name, so a stack trace or a log says what it is", () => {
    const made: Error[] = [
      new errors.CsvRowError("f.csv", 2, "age", "not a number", "x"),
      new errors.CsvFileError("f.csv", "file not found"),
      new errors.RuleSetError("r.yaml", "factors", "bad"),
      new errors.SpecError("s.yaml", "marginals", "bad"),
      new errors.ScenarioError("s.yaml", "quota", "bad"),
      new errors.OutputError("out.csv", "permission denied"),
      new errors.InputError("unknown rule set 'x'"),
      new errors.ErrorList([new errors.InputError("a")]),
      new errors.WorkerError("boom"),
      new ResidenceDataError("r.yaml", "take_up", "bad"),
      new UsageError("--seed needs a value"),
    ];
    expect(made.map((e) => e.name)).toEqual([
      "CsvRowError",
      "CsvFileError",
      "RuleSetError",
      "SpecError",
      "ScenarioError",
      "OutputError",
      "InputError",
      "ErrorList",
      "WorkerError",
      "ResidenceDataError",
      "UsageError",
    ]);
    expect(made.every((e) => e instanceof errors.QmasError)).toBe(true);
  });

  it("the library names an option; the CLI words it as its flag", () => {
    const bad = new errors.InputError("expects PATH=V1,V2,… (got 'x')", "vary");
    expect(bad.message).toBe("vary expects PATH=V1,V2,… (got 'x')");
    expect(cliMessage(bad)).toBe("--vary expects PATH=V1,V2,… (got 'x')");
    expect(cliMessage(new errors.InputError("must be a folder outside r/", "outDir"))).toBe(
      "--out must be a folder outside r/",
    );
    // an option the CLI has no flag for, and an error about no option, are printed as they are
    expect(cliMessage(new errors.InputError("must be a whole number ≥ 0 (got -1)", "startIndex"))).toBe(
      "startIndex must be a whole number ≥ 0 (got -1)",
    );
    expect(cliMessage(new errors.CsvFileError("p.csv", "file not found"))).toBe("p.csv: file not found");
  });
});
