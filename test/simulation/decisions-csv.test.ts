import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { formatCsv } from "../../src/csv-writer.js";
import { DECISION_COLUMNS, decisionRows, writeDecisionsCsv } from "../../src/simulation/outputs.js";
import type { ScenarioRun } from "../../src/simulation/run.js";
import { simulate } from "../../src/simulation/timeline.js";
import { makeApps, makePolicy, quota } from "./helpers.js";

test("decisions.csv: hand-formatted rows are the bytes csv-stringify writes, ids quoted and formulas neutralised", async () => {
  const apps = makeApps([
    { id: "=1+2", applied_on: "2019-01-05", total: 150 },
    { id: "a,b", applied_on: "2019-01-06", total: 70 },
    { id: 'say "hi"', applied_on: "2019-01-07", total: 100, eligible: false },
    { id: "plain", applied_on: "2019-05-01", total: 120, spouse: true, children: 1 },
    { id: "later", applied_on: "2020-01-01", total: 120 },
  ]);
  const result = simulate(apps, makePolicy({ quarters: 2, quota: quota(4) }), 1);
  const run = { result } as unknown as ScenarioRun;
  const file = join(mkdtempSync(join(tmpdir(), "qmas-dec-")), "decisions.csv");
  await writeDecisionsCsv(run, file);
  const text = readFileSync(file, "utf8");
  expect(text).toBe(formatCsv(DECISION_COLUMNS, decisionRows(run)));
  expect(text.split("\n").slice(1, 6)).toEqual([
    "'=1+2,2019-01-05,2019Q1,2019Q1,test-rules,gpt,150,1,allotted,2019Q1,85,1",
    '"a,b",2019-01-06,2019Q1,2019Q1,test-rules,gpt,70,,refused_below_pass_mark,2019Q1,84,1',
    '"say ""hi""",2019-01-07,2019Q1,2019Q1,test-rules,gpt,100,,refused_prerequisites,2019Q1,83,1',
    "plain,2019-05-01,2019Q2,2019Q2,test-rules,gpt,120,1,allotted,2019Q2,60,3",
    "later,2020-01-01,2020Q1,,test-rules,gpt,,,pending,,,1",
  ]);
});
