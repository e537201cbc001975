import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readApplicantCsv } from "../../src/applicants/csv/index.js";
import { applicantAt, idOf } from "../../src/applicants/pool.js";
import { defaultApplicant } from "../../src/applicants/record.js";
import { CsvFileError, ErrorList, OutputError } from "../../src/errors.js";
import { fixture, fixtureDir, lines, readText } from "./fixtures.js";

const dir = fixtureDir();
let counter = 0;
function file(text: string | Uint8Array): string {
  counter++;
  return fixture(dir, `f${counter}.csv`, text);
}

/** Messages of the ErrorList a read throws (fails the test when it does not throw one). */
async function errorsOf(path: string, maxErrors?: number): Promise<{ messages: string[]; total: number }> {
  try {
    await readApplicantCsv(path, maxErrors === undefined ? {} : { maxErrors });
  } catch (err) {
    if (err instanceof ErrorList) return { messages: err.errors.map((e) => e.format()), total: err.total };
    throw err;
  }
  throw new Error(`expected ${path} to be rejected`);
}

async function fileErrorOf(path: string, opts = {}): Promise<string> {
  try {
    await readApplicantCsv(path, opts);
  } catch (err) {
    if (err instanceof CsvFileError) return err.format();
    throw err;
  }
  throw new Error(`expected ${path} to fail as a whole`);
}

describe("readApplicantCsv: good files", () => {
  it("reads the required columns and applies every default", async () => {
    const path = file(lines("id,applied_on,age", "A1,2019-03-01,30", "A2,2024-12-31,45"));
    const { pool, rowsRead, rejected, errors } = await readApplicantCsv(path);
    expect([pool.size, rowsRead, rejected, errors.length]).toEqual([2, 2, 0, 0]);
    expect(applicantAt(pool, 0)).toEqual(defaultApplicant("A1", "2019-03-01", 30));
    expect(applicantAt(pool, 1)).toEqual(defaultApplicant("A2", "2024-12-31", 45));
    // columns are trimmed to the pool size
    expect(pool.columns.age.length).toBe(2);
  });

  it("reads every column in any order, with booleans in every accepted spelling", async () => {
    const header =
      "good_character,achievement,id,age,applied_on,sex,region,sector,profession,bachelor_degrees,master_degrees," +
      "doctoral_degrees,professional_qualification,renowned_institution,eligible_university_postgrad,stem_postgrad," +
      "years_experience,years_senior,years_international,years_multinational,years_specified_industry,chinese,english," +
      "other_languages,annual_income_hkd,business_profit_hkd,listed_company_stake,hk_permanent_family," +
      "spouse_accompanying,spouse_degree,children_under_18,financial_means";
    const row =
      "no,award,B7,41,2018-06-15,F,europe,it_telecom,software_engineer,2,1,1,TRUE,Yes,1,true," +
      "12.5,4.9,2,0.5,3,False,yes,2,1200000.75,50000,0.1,1,YES,true,3,0";
    const { pool } = await readApplicantCsv(file(lines(header, row)));
    expect(applicantAt(pool, 0)).toEqual({
      id: "B7",
      applied_on: "2018-06-15",
      age: 41,
      sex: "F",
      region: "europe",
      sector: "it_telecom",
      profession: "software_engineer",
      bachelor_degrees: 2,
      master_degrees: 1,
      doctoral_degrees: 1,
      professional_qualification: true,
      renowned_institution: true,
      eligible_university_postgrad: true,
      stem_postgrad: true,
      years_experience: 12.5,
      years_senior: 4.9,
      years_international: 2,
      years_multinational: 0.5,
      years_specified_industry: 3,
      chinese: false,
      english: true,
      other_languages: 2,
      annual_income_hkd: 1200000.75,
      business_profit_hkd: 50000,
      listed_company_stake: 0.1,
      hk_permanent_family: true,
      spouse_accompanying: true,
      spouse_degree: true,
      children_under_18: 3,
      achievement: "award",
      financial_means: false,
      good_character: false,
    });
  });

  it("treats an empty optional cell as the default", async () => {
    const path = file(
      lines("id,applied_on,age,sex,region,financial_means,years_experience", "A1,2020-01-01,30,,,,"),
    );
    const a = applicantAt((await readApplicantCsv(path)).pool, 0);
    expect([a.sex, a.region, a.financial_means, a.years_experience]).toEqual(["X", "other", true, 0]);
  });

  it("accepts CRLF, a BOM, RFC 4180 quoting with commas, quotes and line breaks, and counts lines from the record start", async () => {
    const text =
      "\uFEFFid,applied_on,age,profession,years_experience\r\n" +
      '"A,1",2020-01-01,30,"line one\r\nline two",5\r\n' +
      'A2,2020-01-02,31,"say ""hi""\nand bye",x\r\n' +
      "A3,2020-01-03,32,,200\r\n";
    const path = file(text);
    const { messages } = await errorsOf(path);
    expect(messages).toEqual([
      `${path}:4: years_experience: not a number (x)`,
      `${path}:6: years_experience: more than age minus 14, which is 18 (200)`,
    ]);
    const rejects = join(dir, "crlf-rejects.csv");
    const { pool } = await readApplicantCsv(path, { rejectsFile: rejects });
    expect(pool.size).toBe(1);
    expect(idOf(pool, 0)).toBe("A,1");
    expect(applicantAt(pool, 0).profession).toBe("line one\r\nline two");
  });

  it("a rejects file that cannot be written is reported against the rejects file, not the file being read", async () => {
    const path = file("id,applied_on,age\nA1,2020-01-01,30\nA2,2020-01-01,abc\n");
    // a file where its folder should be
    const blocker = file("not a folder\n");
    const failure = await readApplicantCsv(path, { rejectsFile: join(blocker, "rejects.csv") }).catch(
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(OutputError);
    expect((failure as OutputError).format()).toBe(
      `${join(blocker, "rejects.csv")}: cannot write: part of its folder path is a file, not a folder (EEXIST)`,
    );
  });

  it("accepts a missing final newline and blank lines, keeping line numbers right", async () => {
    const path = file("id,applied_on,age\n\nA1,2020-01-01,30\n\n\nA2,2020-01-01,abc\n\n");
    const { messages } = await errorsOf(path);
    expect(messages).toEqual([`${path}:6: age: not a number (abc)`]);
    const noNewline = file("id,applied_on,age\r\nA1,2020-01-01,30\r\nA2,2020-01-01,31");
    expect((await readApplicantCsv(noNewline)).pool.size).toBe(2);
  });

  it("gives a pool of size 0 for a header-only file", async () => {
    const { pool, rowsRead } = await readApplicantCsv(file("id,applied_on,age\n"));
    expect([pool.size, rowsRead]).toEqual([0, 0]);
  });

  it("reports progress with rows and bytes", async () => {
    const rows = ["id,applied_on,age"];
    for (let i = 0; i < 70_000; i++) rows.push(`A${i},2020-01-01,30`);
    const text = lines(...rows);
    const calls: [number, number][] = [];
    await readApplicantCsv(file(text), { onProgress: (r, b) => calls.push([r, b]) });
    expect(calls.length).toBe(2);
    expect(calls[0]![0]).toBe(65_536);
    expect(calls[0]![1]).toBeGreaterThan(0);
    expect(calls[1]).toEqual([70_000, Buffer.byteLength(text)]);
  });
});

describe("readApplicantCsv: bad values, one message each", () => {
  const cases: [column: string, value: string, message: string][] = [
    ["age", "abc", "age: not a number (abc)"],
    ["age", "30.5", "age: not a whole number (30.5)"],
    ["age", "121", "age: must be between 0 and 120 (121)"],
    ["age", "-1", "age: must be between 0 and 120 (-1)"],
    ["age", " 30", "age: not a number ( 30)"],
    ["bachelor_degrees", "256", "bachelor_degrees: must be between 0 and 255 (256)"],
    ["children_under_18", "1e3", "children_under_18: must be between 0 and 255 (1e3)"],
    ["other_languages", "two", "other_languages: not a number (two)"],
    ["years_experience", "-0.5", "years_experience: must be at least 0 (-0.5)"],
    ["annual_income_hkd", "1,000", "(row): 5 fields, but the header has 4"],
    ["annual_income_hkd", "Infinity", "annual_income_hkd: not a number (Infinity)"],
    ["business_profit_hkd", "0x10", "business_profit_hkd: not a number (0x10)"],
    ["listed_company_stake", "1.5", "listed_company_stake: must be between 0 and 1 (1.5)"],
    ["chinese", "maybe", "chinese: not a boolean (use true/false, 1/0 or yes/no) (maybe)"],
    ["english", "2", "english: not a boolean (use true/false, 1/0 or yes/no) (2)"],
    ["sex", "f", "sex: must be F, M or X (f)"],
    ["achievement", "gold", "achievement: must be none, award or recognition (gold)"],
    ["applied_on", "2020/01/01", "applied_on: not a date in the form YYYY-MM-DD (2020/01/01)"],
    ["applied_on", "2020-1-01", "applied_on: not a date in the form YYYY-MM-DD (2020-1-01)"],
    ["applied_on", "2023-02-29", "applied_on: no such calendar date (2023-02-29)"],
    ["applied_on", "2020-13-01", "applied_on: no such calendar date (2020-13-01)"],
    ["applied_on", "", "applied_on: required (empty)"],
    ["id", "", "id: required (empty)"],
  ];
  it.each(cases)("%s = %j", async (column, value, message) => {
    const base: Record<string, string> = { id: "A1", applied_on: "2020-01-01", age: "40" };
    const names = ["id", "applied_on", "age"];
    if (!names.includes(column)) names.push(column);
    base[column] = value;
    const path = file(lines(names.join(","), names.map((n) => base[n]).join(",")));
    const { messages, total } = await errorsOf(path);
    expect(messages).toEqual([`${path}:2: ${message}`]);
    expect(total).toBe(1);
  });

  it("checks the rules across columns", async () => {
    const path = file(
      lines(
        "id,applied_on,age,years_experience,years_senior,years_international,years_multinational,years_specified_industry,spouse_accompanying,spouse_degree",
        "A1,2020-01-01,40,3,3.5,4,3,3.01,false,true",
        "A2,2020-01-01,20,7,0,0,0,0,true,true",
        "A3,2020-01-01,20,6,0,0,0,0,,",
        "A4,2020-01-01,14,,1,,,,,yes",
      ),
    );
    const { messages, total } = await errorsOf(path);
    expect(messages).toEqual([
      `${path}:2: years_senior: more than years_experience, which is 3 (3.5)`,
      `${path}:2: years_international: more than years_experience, which is 3 (4)`,
      `${path}:2: years_specified_industry: more than years_experience, which is 3 (3.01)`,
      `${path}:2: spouse_degree: true while spouse_accompanying is false (true)`,
      `${path}:3: years_experience: more than age minus 14, which is 6 (7)`,
      `${path}:5: years_senior: more than years_experience, which is 0 (1)`,
      `${path}:5: spouse_degree: true while spouse_accompanying is false (yes)`,
    ]);
    expect(total).toBe(7);
  });

  it("reports a duplicate id on its second occurrence", async () => {
    const path = file(lines("id,applied_on,age", "A1,2020-01-01,30", "A2,2020-01-01,30", "A1,2020-01-02,31"));
    expect((await errorsOf(path)).messages).toEqual([`${path}:4: id: duplicate of the id on line 2 (A1)`]);
  });

  it("reports every problem of a row and every bad row, keeping at most maxErrors", async () => {
    const rows = ["id,applied_on,age,sex"];
    for (let i = 0; i < 30; i++) rows.push(`A${i},2020-02-30,200,Q`);
    const path = file(lines(...rows));
    const all = await errorsOf(path);
    expect(all.total).toBe(90);
    expect(all.messages.length).toBe(20);
    expect(all.messages.slice(0, 3)).toEqual([
      `${path}:2: applied_on: no such calendar date (2020-02-30)`,
      `${path}:2: age: must be between 0 and 120 (200)`,
      `${path}:2: sex: must be F, M or X (Q)`,
    ]);
    expect((await errorsOf(path, 5)).messages.length).toBe(5);
  });
});

describe("readApplicantCsv: whole-file problems", () => {
  it("names unknown columns with the closest known name", async () => {
    const path = file(lines("id,applied_on,age,yeras_experience,colour", "A1,2020-01-01,30,1,red"));
    expect(await fileErrorOf(path)).toBe(
      `${path}: unknown columns 'yeras_experience' (did you mean 'years_experience'?), 'colour'; use --allow-extra-columns to carry extra columns through`,
    );
  });

  it("leaves out the --allow-extra-columns hint when every unknown column looks like a misspelling", async () => {
    const path = file(lines("id,applied_on,agee", "A1,2020-01-01,30"));
    expect(await fileErrorOf(path)).toBe(
      `${path}: missing required column age; unknown column 'agee' (did you mean 'age'?)`,
    );
  });

  it("names missing required columns and duplicated columns", async () => {
    expect(await fileErrorOf(file(lines("id,age,region", "A1,30,asia")))).toMatch(
      /: missing required column applied_on$/,
    );
    expect(await fileErrorOf(file(lines("region", "asia")))).toMatch(
      /: missing required columns id, applied_on, age$/,
    );
    expect(await fileErrorOf(file(lines("id,applied_on,age,age", "A1,2020-01-01,30,30")))).toMatch(
      /: duplicate column 'age'$/,
    );
  });

  it("fails for a missing file, an empty file and malformed quoting", async () => {
    const missing = join(dir, "nope.csv");
    expect(await fileErrorOf(missing)).toBe(`${missing}: file not found`);
    const empty = file("");
    expect(await fileErrorOf(empty)).toBe(`${empty}: empty file: no header line`);
    expect(await fileErrorOf(file("\uFEFF\n\n"))).toMatch(/empty file: no header line$/);
    const rejects = join(dir, "malformed-rejects.csv");
    const broken = file(lines("id,applied_on,age", 'A1,2020-01-01,3"0', "A2,2020-01-01,30"));
    expect(await fileErrorOf(broken, { rejectsFile: rejects })).toMatch(
      /: malformed CSV, reading stopped: Invalid Opening Quote/,
    );
    expect(existsSync(rejects)).toBe(false);
  });
});

describe("readApplicantCsv: extra columns", () => {
  it("carries extra columns through when allowed", async () => {
    const path = file(
      lines("note,id,applied_on,age,batch", "hello,A1,2020-01-01,30,7", '"a, b",A2,2020-01-01,31,8'),
    );
    const { pool } = await readApplicantCsv(path, { allowExtraColumns: true });
    expect(pool.extra).toEqual({
      names: ["note", "batch"],
      values: [
        ["hello", "a, b"],
        ["7", "8"],
      ],
    });
  });

  it("keeps extra values aligned with the pool when rows are rejected", async () => {
    const path = file(lines("id,applied_on,age,batch", "A1,2020-01-01,x,1", "A2,2020-01-01,31,2"));
    const { pool } = await readApplicantCsv(path, {
      allowExtraColumns: true,
      rejectsFile: join(dir, "extra-rejects.csv"),
    });
    expect(pool.extra).toEqual({ names: ["batch"], values: [["2"]] });
  });
});

describe("readApplicantCsv: rejects file", () => {
  it("writes bad rows with their line and every reason, and keeps the good ones", async () => {
    const path = file(
      lines(
        "id,applied_on,age,sex",
        "A1,2020-01-01,30,F",
        "A2,2020-01-01,abc,Q",
        '"A,3",2020-01-01,30',
        "A1,2020-01-01,30,M",
        "A5,2020-01-01,40,M",
      ),
    );
    const rejectsFile = join(dir, "out", "rejects.csv");
    const result = await readApplicantCsv(path, { rejectsFile });
    expect([result.rowsRead, result.pool.size, result.rejected, result.errorCount]).toEqual([5, 2, 3, 4]);
    expect(readText(rejectsFile)).toBe(
      lines(
        "row,reason,original_text,id,applied_on,age,sex",
        '3,"age: not a number (abc); sex: must be F, M or X (Q)",,A2,2020-01-01,abc,Q',
        '4,"(row): 3 fields, but the header has 4",,"A,3",2020-01-01,30',
        "5,id: duplicate of the id on line 2 (A1),,A1,2020-01-01,30,M",
      ),
    );
    expect(result.errors.map((e) => `${e.row} ${e.column}`)).toEqual(["3 age", "3 sex", "4 (row)", "5 id"]);
  });

  it("writes a header-only rejects file when nothing is wrong", async () => {
    const rejectsFile = join(dir, "clean-rejects.csv");
    await readApplicantCsv(file(lines("id,applied_on,age", "A1,2020-01-01,30")), { rejectsFile });
    expect(readText(rejectsFile)).toBe("row,reason,original_text,id,applied_on,age\n");
  });

  it("puts every input row either in the pool or in the rejects file", async () => {
    const header =
      "id,applied_on,age,sex,years_experience,years_senior,chinese,achievement,spouse_accompanying,spouse_degree";
    const good = (i: number) => `G${i},2020-01-01,40,F,10,2,yes,none,true,true`;
    const bad = [
      "B1,2020-02-30,40,F,10,2,yes,none,true,true",
      "B2,2020-01-01,x,F,10,2,yes,none,true,true",
      "B3,2020-01-01,40,female,10,2,yes,none,true,true",
      "B4,2020-01-01,40,F,10,12,yes,none,true,true",
      "B5,2020-01-01,40,F,10,2,si,none,true,true",
      "B6,2020-01-01,40,F,10,2,yes,gold,true,true",
      "B7,2020-01-01,40,F,10,2,yes,none,false,true",
      "B8,2020-01-01,20,F,10,2,yes,none,true,true",
      "G1,2020-01-01,40,F,10,2,yes,none,true,true",
      ",2020-01-01,40,F,10,2,yes,none,true,true",
      "B11,2020-01-01,40",
      "B12,2020-01-01,40,F,10,2,yes,none,true,true,extra",
      "B13,2020-01-01,40,F,-3,0,yes,none,true,true",
      '"B14\nwith a line break",2020-01-01,1e400,F,10,2,yes,none,true,true',
    ];
    const rows = [header];
    for (let i = 0; i < 40; i++) rows.push(good(i), bad[i % bad.length]!.replace(/^B(\d+)/, `B$1_${i}`));
    const path = file(lines(...rows));
    const rejectsFile = join(dir, "identity-rejects.csv");
    const result = await readApplicantCsv(path, { rejectsFile });
    expect(result.rowsRead).toBe(80);
    expect(result.pool.size).toBe(40);
    expect(result.rejected).toBe(40);
    expect(result.rowsRead).toBe(result.pool.size + result.rejected);
    const reread = await readApplicantCsv(rejectsFile, {
      allowExtraColumns: true,
      rejectsFile: join(dir, "again.csv"),
    });
    expect(reread.rowsRead).toBe(result.rejected);
  });
});
