import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readApplicantCsvWith } from "../../src/applicants/csv/index.js";
import { listDistributionSpecs } from "../../src/applicants/generate/index.js";
import { CsvFileError, ErrorList } from "../../src/errors.js";
import { invalidUtf8 } from "../../src/utf8.js";
import { cli, ensureBuilt, FIXTURES } from "./cli.js";

beforeAll(ensureBuilt);

const dir = mkdtempSync(join(tmpdir(), "qmas-bad-data-"));
let n = 0;
function file(bytes: Buffer | string): string {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, bytes);
  return path;
}
const out = () => join(mkdtempSync(join(tmpdir(), "qmas-bad-data-out-")), "out");

/** Every way the reader splits input: the quote-free fast path and csv-parse, whole and in 7-byte chunks. */
const TUNINGS = [
  { fastPath: true, chunkBytes: 1 << 20 },
  { fastPath: true, chunkBytes: 7 },
  { fastPath: false, chunkBytes: 1 << 20 },
  { fastPath: false, chunkBytes: 7 },
];

async function rowErrors(path: string, tuning = TUNINGS[0]!): Promise<string[]> {
  try {
    await readApplicantCsvWith(path, {}, tuning);
    return [];
  } catch (err) {
    if (err instanceof ErrorList) return err.errors.map((e) => e.format().replace(`${path}:`, ""));
    if (err instanceof CsvFileError) return [err.format().replace(`${path}: `, "FILE ")];
    throw err;
  }
}

describe("numbers must be finite", () => {
  it("1e309 (Infinity once read) in a money column is a row error, not an income above every threshold", async () => {
    const path = file(
      "id,applied_on,age,annual_income_hkd\nA1,2019-03-01,30,1e309\nA2,2019-03-01,30,1e308\n",
    );
    for (const tuning of TUNINGS)
      expect(await rowErrors(path, tuning)).toEqual([
        "2: annual_income_hkd: not a finite number (too large to hold) (1e309)",
      ]);
  });
});

describe("invalid UTF-8 is a row error naming the byte offset", () => {
  const header = "id,applied_on,age,profession\n";
  const good = "A1,2019-03-01,30,caf\u00e9\u2014\u{1f600}\n"; // two-, three- and four-byte characters
  const bad = Buffer.concat([
    Buffer.from(`${header}${good}A2,2019-03-01,31,x`),
    Buffer.from([0xc3, 0x28]), // a lead byte without its continuation
    Buffer.from("\nA3,2019-03-01,32,\ufffd\n"), // a real U+FFFD, written as UTF-8: valid
  ]);
  const offset = Buffer.byteLength(`${header}${good}A2,2019-03-01,31,x`);

  it("in every way of splitting the input, with characters cut by chunk boundaries", async () => {
    const path = file(bad);
    for (const tuning of TUNINGS)
      expect(await rowErrors(path, tuning), JSON.stringify(tuning)).toEqual([
        `3: (row): invalid UTF-8 at byte ${offset} of the file (it would be read as U+FFFD); save the file as UTF-8`,
      ]);
    expect(await rowErrors(file(`${header}${good}`), TUNINGS[1])).toEqual([]);
  });

  it("in a YAML file it stops the file", () => {
    const r = cli(["run", `${FIXTURES}/yaml-invalid-utf8.yaml`, "--out", out()]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      `${FIXTURES}/yaml-invalid-utf8.yaml: (top level): invalid UTF-8 at byte 2501; save the file as UTF-8`,
    );
  });

  it("in the header it stops the file", async () => {
    const path = file(
      Buffer.concat([Buffer.from("id,appl"), Buffer.from([0xff]), Buffer.from("ied_on,age\n")]),
    );
    expect(await rowErrors(path)).toEqual([
      "FILE header (line 1): invalid UTF-8 at byte 7; save the file as UTF-8",
    ]);
  });

  it("finds each invalid sequence as the WHATWG decoder does, and keeps an unfinished one for the next chunk", () => {
    const bytes = (...b: number[]) => Buffer.from(b);
    expect(invalidUtf8(bytes(0x41, 0xc0, 0x80, 0x41), true).offsets).toEqual([1, 2]); // overlong
    expect(invalidUtf8(bytes(0xed, 0xa0, 0x80), true).offsets).toEqual([0, 1, 2]); // surrogate
    expect(invalidUtf8(bytes(0x41, 0xe2, 0x82), false)).toEqual({ offsets: [], carry: 1 });
    expect(invalidUtf8(bytes(0x41, 0xe2, 0x82), true)).toEqual({ offsets: [1], carry: 3 });
    expect(invalidUtf8(bytes(0xf0, 0x9f, 0x98, 0x80, 0xff), true).offsets).toEqual([4]);
  });
});

describe("dates outside the scheme or the period", () => {
  it("a row far from the rest of a pool is warned about; beyond the quarter limit the run is refused", () => {
    const far = cli(["run", `${FIXTURES}/scenario-csv-date-far.yaml`, "--out", out(), "--quiet"]);
    expect(far.code).toBe(0);
    expect(far.err.trim()).toBe(
      `${FIXTURES}/csv-date-far.csv: warning: 1 row dated more than a year away from the rest of the pool (S0001 on 2099-09-03) stretch the run to 323 quarters (2019Q1–2099Q3; the rest lie in 2019Q1–2019Q2); fix those dates or give the scenario a period`,
    );
    const tooFar = cli(["run", `${FIXTURES}/scenario-csv-date-too-far.yaml`, "--out", out(), "--quiet"]);
    expect(tooFar.code).toBe(2);
    const sweep = cli(["sweep", `${FIXTURES}/scenario-csv-date-too-far.yaml`, "-n", "1", "--out", out()]);
    expect(sweep.code).toBe(2);
    expect(sweep.err).toContain("its applications span 723 quarters");
    expect(tooFar.err.trim()).toBe(
      `${FIXTURES}/csv-date-too-far.csv: its applications span 723 quarters (2019Q1–2199Q3), above the limit of 400 for a run, stretched by 1 row far from the rest (S0001 on 2199-09-03); fix those dates or give the scenario a period`,
    );
  });

  it("rows before or after a scenario's period are counted in warnings", () => {
    const scenario = join(mkdtempSync(join(tmpdir(), "qmas-period-")), "period.yaml");
    writeFileSync(
      scenario,
      `name: period\npool:\n  csv: ${join(process.cwd(), "data/samples/sample-pool.csv")}\nperiod:\n  from: "2020-01-01"\n  quarters: 2\nquota:\n  per_year: 1000\n`,
    );
    const r = cli(["run", scenario, "--out", out(), "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      "warning: 18 rows dated before the period starts (2020-01-01; earliest 2018-09-03) join its first quarter as a backlog",
    );
    expect(r.err).toContain(
      "warning: 18 rows dated after the period ends (2020-06-30; latest 2022-12-30) are never assessed and stay pending",
    );
  });

  it("generate --from before the scheme opened is refused (score would reject every row)", () => {
    const r = cli(["generate", "--spec", "qmas-2021", "--count", "3", "--seed", "1", "--from", "2001-01-01"]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      "--from 2001-01-01 is before the scheme opened on 2006-06-28: no rule set was in force, and score would reject every such row",
    );
  });
});

describe("a pass mark above the rule set's maximum is an error", () => {
  const reason =
    "300 is above the maximum score of the rule set it applies to (qmas-gpt-2018: 225): nobody could pass";
  it("in a scenario, and for score and explain", () => {
    const run = cli(["run", `${FIXTURES}/scenario-pass-mark-above-max.yaml`, "--out", out()]);
    expect(run.code).toBe(2);
    expect(run.err.trim()).toBe(`${FIXTURES}/scenario-pass-mark-above-max.yaml: pass_mark: ${reason}`);
    const score = cli(["score", "data/samples/sample-pool.csv", "--pass-mark", "300"]);
    expect(score.code).toBe(2);
    expect(score.err.trim()).toBe(`--pass-mark ${reason}`);
    const explain = cli(["explain", "data/samples/sample-pool.csv", "--id", "S0001", "--pass-mark", "300"]);
    expect(explain.code).toBe(2);
    expect(explain.err.trim()).toBe(`--pass-mark ${reason}`);
    expect(cli(["score", "data/samples/sample-pool.csv", "--pass-mark", "225"]).code).toBe(0);
  });

  it("in an experiment, naming where a value set by --vary came from", () => {
    const r = cli([
      "sweep",
      "scenarios/baseline.yaml",
      "--vary",
      "pass_mark=80,300",
      "-n",
      "1",
      "--out",
      out(),
    ]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`scenarios/baseline.yaml: pass_mark: set by --vary: ${reason}`);
  });
});

describe("rejects.csv neutralises formula cells and keeps the original text", () => {
  it("like every other output", () => {
    const rejects = join(mkdtempSync(join(tmpdir(), "qmas-rejects-")), "rejects.csv");
    const r = cli(["score", `${FIXTURES}/csv-formula-cells.csv`, "--rejects", rejects]);
    expect(r.code).toBe(0);
    const text = readFileSync(rejects, "utf8");
    const lines = text.trimEnd().split("\n");
    expect(lines[0]!.startsWith("row,reason,original_text,id,applied_on,age,")).toBe(true);
    expect(
      lines[1]!.startsWith(
        '4,age: not a number (abc),"id: =HYPERLINK(""http://x"")","\'=HYPERLINK(""http://x"")",2019-03-01,abc,',
      ),
    ).toBe(true);
    expect(
      lines[2]!.startsWith(
        "5,applied_on: not a date in the form YYYY-MM-DD (20x9-06-01),id: +1+1,'+1+1,20x9-06-01,",
      ),
    ).toBe(true);
    // no cell of the file starts a formula
    for (const line of lines) for (const cell of line.split(",")) expect(cell).not.toMatch(/^[=+@]/);
  });
});

describe("every error names the file and the key or row", () => {
  it("CR-only line endings are detected and named", () => {
    const r = cli(["score", `${FIXTURES}/csv-cr-only.csv`]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      `${FIXTURES}/csv-cr-only.csv: its lines end in CR only (old Mac line endings); save it with LF or CRLF line endings`,
    );
  });

  it("an unknown rule set or spec in a scenario names the file and the key, with did-you-mean", () => {
    const rules = cli(["run", `${FIXTURES}/scenario-unknown-rule-set.yaml`, "--out", out()]);
    expect(rules.code).toBe(2);
    expect(rules.err.trim()).toBe(
      `${FIXTURES}/scenario-unknown-rule-set.yaml: rules: unknown rule set 'qmas-gpt-2019' (known: auto, qmas-gpt-2006, qmas-gpt-2008, qmas-gpt-2015, qmas-gpt-2018, qmas-gpt-2023, qmas-criteria-2024) (did you mean 'qmas-gpt-2015'?)`,
    );
    const spec = cli([
      "compare",
      "scenarios/baseline.yaml",
      `${FIXTURES}/scenario-unknown-spec.yaml`,
      "-n",
      "1",
      "--out",
      out(),
    ]);
    expect(spec.code).toBe(2);
    expect(spec.err.trim()).toBe(
      `${FIXTURES}/scenario-unknown-spec.yaml: pool.spec: unknown distribution spec 'qmas-2022' (available: ${listDistributionSpecs().join(", ")}, or a path to a .yaml file) (did you mean 'qmas-2021'?)`,
    );
  });

  it("a header-only pool names its file", () => {
    const run = cli(["run", `${FIXTURES}/scenario-csv-header-only.yaml`, "--out", out()]);
    expect(run.code).toBe(2);
    expect(run.err.trim()).toBe(
      `${FIXTURES}/csv-header-only.csv: no applicant rows (a header only, or every row rejected) and the scenario has no period to run`,
    );
    const score = cli(["score", `${FIXTURES}/csv-header-only.csv`]);
    expect(score.code).toBe(0);
    expect(score.err).toContain(`${FIXTURES}/csv-header-only.csv: warning: no applicant rows, only a header`);
  });
});
