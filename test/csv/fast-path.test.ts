import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type CsvReadTuning,
  type ReadApplicantCsvOptions,
  readApplicantCsvWith,
} from "../../src/applicants/csv/index.js";
import { applicantAt } from "../../src/applicants/pool.js";
import { APPLICANT_COLUMNS } from "../../src/applicants/record.js";
import { ErrorList, QmasError } from "../../src/errors.js";
import { createRng } from "../../src/random.js";
import { fixture, fixtureDir, readText } from "./fixtures.js";

// The quote-free fast splitter must read every file exactly as csv-parse does: these tests read each
// input once with csv-parse only and again with the fast path in chunks of many sizes (so that lines,
// CRLFs, byte order marks and multi-byte characters are cut at every position) and compare everything.

const dir = fixtureDir();
let counter = 0;
function file(text: string | Uint8Array): string {
  counter++;
  return fixture(dir, `fast${counter}.csv`, text);
}

const CSV_PARSE_ONLY: CsvReadTuning = { fastPath: false, chunkBytes: 1 << 20 };
const CHUNK_SIZES = [1, 2, 3, 5, 7, 64, 1 << 20];

/** Everything a read shows the caller: pool contents, counts, errors (thrown or kept), rejects file. */
async function outcome(
  path: string,
  tuning: CsvReadTuning,
  options: ReadApplicantCsvOptions,
): Promise<unknown> {
  const rejectsFile = options.rejectsFile;
  try {
    const r = await readApplicantCsvWith(path, options, tuning);
    return {
      applicants: Array.from({ length: r.pool.size }, (_, i) => applicantAt(r.pool, i)),
      extra: r.pool.extra,
      rowsRead: r.rowsRead,
      rejected: r.rejected,
      errors: r.errors.map((e) => e.format()),
      errorCount: r.errorCount,
      rejects: rejectsFile === undefined ? undefined : readText(rejectsFile),
    };
  } catch (err) {
    if (err instanceof ErrorList) return { errorList: err.errors.map((e) => e.format()), total: err.total };
    if (err instanceof QmasError) {
      return {
        thrown: err.constructor.name,
        message: err.format(),
        rejectsLeft: rejectsFile !== undefined && existsSync(rejectsFile),
      };
    }
    throw err;
  }
}

/** Reads `text` both ways, with and without a rejects file, and returns the csv-parse outcomes. */
async function expectSameBothWays(
  text: string | Uint8Array,
  options: ReadApplicantCsvOptions = {},
): Promise<unknown[]> {
  const path = file(text);
  const results: unknown[] = [];
  for (const rejects of [false, true]) {
    const opts = (tag: string): ReadApplicantCsvOptions =>
      rejects ? { ...options, rejectsFile: join(dir, `rejects-${counter}-${tag}.csv`) } : options;
    const reference = await outcome(path, CSV_PARSE_ONLY, opts("ref"));
    for (const chunkBytes of CHUNK_SIZES) {
      const fast = await outcome(path, { fastPath: true, chunkBytes }, opts(`c${chunkBytes}`));
      expect(fast, `chunks of ${chunkBytes} bytes, rejects ${rejects}`).toEqual(reference);
    }
    results.push(reference);
  }
  return results;
}

const HEADER = "id,applied_on,age,years_experience,region";

describe("fast path and csv-parse read files the same", () => {
  it("without quotes: good rows, bad values, duplicates, wrong field counts", async () => {
    const text = [
      HEADER,
      "A1,2020-01-01,30,5,europe",
      "A2,2020-01-02,x,5,asia",
      "A3,2020-01-03,31,5",
      "A4,2020-01-04,32,5,asia,extra",
      "A1,2020-01-05,33,40,europe",
      "A6,2020-02-30,34,5,",
      "A7,2020-01-07,35,5,other",
      "",
    ].join("\n");
    const [plain] = await expectSameBothWays(text);
    const { errorList } = plain as { errorList: string[] };
    expect(errorList.map((m) => m.replace(/^.*?:(\d+):/, "$1:"))).toEqual([
      "3: age: not a number (x)",
      "4: (row): 4 fields, but the header has 5",
      "5: (row): 6 fields, but the header has 5",
      "6: years_experience: more than age minus 14, which is 19 (40)",
      "6: id: duplicate of the id on line 2 (A1)",
      "7: applied_on: no such calendar date (2020-02-30)",
    ]);
  });

  it("with quotes only late in the file: switches mid-stream and keeps line numbers", async () => {
    const rows = [HEADER];
    for (let i = 1; i <= 40; i++) rows.push(`P${i},2020-01-01,${i === 7 ? "bad" : 30},5,europe`);
    // line 42: a quoted multi-line field (CRLF and LF inside), then errors after the switch
    rows.push('Q1,2020-01-01,30,5,"multi\r\nline\nregion"');
    rows.push("Q2,2020-01-01,31,oops,asia");
    rows.push('"Q,3",2020-01-01,32,5,"a ""quoted"" word"');
    rows.push("P7,2020-01-01,33,5,asia");
    rows.push("Q5,2020-01-01,34,5");
    const [result] = await expectSameBothWays(`${rows.join("\n")}\n`);
    const { errorList } = result as { errorList: string[] };
    expect(errorList.map((m) => m.replace(/^.*?:(\d+):/, "$1:"))).toEqual([
      "8: age: not a number (bad)",
      "45: years_experience: not a number (oops)",
      "47: id: duplicate of the id on line 8 (P7)",
      "48: (row): 4 fields, but the header has 5",
    ]);
  });

  it("with a quote in the header, the first row or the last line", async () => {
    await expectSameBothWays(`"id",applied_on,age\nA1,2020-01-01,30\n`);
    await expectSameBothWays(`id,applied_on,age\n"A1",2020-01-01,30\nA2,2020-01-01,x\n`);
    await expectSameBothWays(`id,applied_on,age\nA1,2020-01-01,30\nA2,2020-01-01,x\n"A3",2020-01-01,31`);
  });

  it("CRLF, a byte order mark, blank lines and a missing final line end", async () => {
    await expectSameBothWays(`${HEADER}\r\nA1,2020-01-01,30,5,europe\r\n\r\nA2,2020-01-01,x,5,asia\r\n`);
    await expectSameBothWays(`\uFEFF${HEADER}\nA1,2020-01-01,30,5,europe\nA2,2020-01-01,x,5,asia`);
    await expectSameBothWays(`\uFEFF"id",applied_on,age\nA1,2020-01-01,30\n`);
    await expectSameBothWays(`\uFEFF\uFEFFid,applied_on,age\nA1,2020-01-01,30\n`);
    await expectSameBothWays(`\n\n${HEADER}\n\n\nA1,2020-01-01,30,5,europe\n\nA2,2020-01-01,31,x,asia\n\n`);
    await expectSameBothWays(`${HEADER}\nA1,2020-01-01,30,5,europe\r\nA2,2020-01-01,31,x,asia\r`);
    await expectSameBothWays(`${HEADER}\nA1,2020-01-01,30,5,europe\nA2,2020-01-01,31,x,"asia"\r`);
  });

  it("a CR inside a line, which counts as a line break for line numbers", async () => {
    await expectSameBothWays(
      `${HEADER}\nA1,2020-01-01,30,5,eu\rrope\nA2,2020-01-01,x,5,asia\r\r\nA3,2020-01-01,y,5,asia\n`,
    );
    await expectSameBothWays(
      `${HEADER}\nA1,2020-01-01,30,5,eu\rrope\nA2,2020-01-01,x,5,"asia"\nA3,2020-01-01,y,5,asia\n`,
    );
  });

  it("multi-byte UTF-8 ids cut at every chunk boundary, and invalid UTF-8", async () => {
    const rows = [HEADER];
    for (let i = 0; i < 30; i++) rows.push(`申請人-ü-😀-${i},2020-01-01,${i % 9 === 0 ? "é" : 30},5,région`);
    const text = `${rows.join("\n")}\n`;
    const [, withRejects] = await expectSameBothWays(text);
    const { applicants, rejects } = withRejects as {
      applicants: { id: string; region: string }[];
      rejects: string;
    };
    expect([applicants.length, applicants[0]!.id, applicants[0]!.region]).toEqual([
      26,
      "申請人-ü-😀-1",
      "région",
    ]);
    expect(rejects).toContain("\n2,age: not a number (é),,申請人-ü-😀-0,");
    const invalid = Buffer.concat([
      Buffer.from(`${HEADER}\nA\xff`, "latin1"),
      Buffer.from([0xe2, 0x82]),
      Buffer.from(",2020-01-01,30,5,x\n"),
    ]);
    await expectSameBothWays(invalid);
  });

  it("malformed quoting after the switch fails with csv-parse's message and the file's line number", async () => {
    const good = Array.from({ length: 20 }, (_, i) => `A${i},2020-01-01,30,5,europe`);
    const [opening] = await expectSameBothWays(
      [HEADER, ...good, 'B1,2020-01-01,3"0,5,asia', "B2,2020-01-01,30,5,asia", ""].join("\n"),
    );
    expect((opening as { message: string }).message).toMatch(
      /malformed CSV, reading stopped: Invalid Opening Quote: .* at line 22,/,
    );
    const [unclosed] = await expectSameBothWays(
      [HEADER, ...good, 'B1,2020-01-01,30,5,"asia', "B2", ""].join("\n"),
    );
    expect((unclosed as { message: string }).message).toMatch(/Quote Not Closed: .* at line 23$/);
    const [closing] = await expectSameBothWays(
      [HEADER, ...good, 'B1,2020-01-01,30,5,"asia"x', ""].join("\n"),
    );
    expect((closing as { message: string }).message).toMatch(/Invalid Closing Quote: got "x" at line 22 /);
  });

  it("extra columns, header-only, empty and near-empty files, and a UTF-16 byte order mark", async () => {
    const extra = `note,${HEADER},batch\nhi,A1,2020-01-01,30,5,europe,1\nho,A2,2020-01-01,x,5,asia,2\n"a, b",A3,2020-01-01,31,5,asia,3\n`;
    await expectSameBothWays(extra, { allowExtraColumns: true });
    await expectSameBothWays(extra);
    for (const tiny of ["", "\n", "\r\n", "\uFEFF", "\uFEFF\n", "i", "id", '"', `${HEADER}`, `${HEADER}\n`]) {
      await expectSameBothWays(tiny);
    }
    await expectSameBothWays(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\nA1,2020-01-01,30,5,x\n`, "utf16le")]),
    );
  });

  it("a larger file with bad rows everywhere and one quoted field near the end", async () => {
    const rows = [HEADER];
    for (let i = 0; i < 3000; i++) {
      const age = i % 97 === 0 ? "old" : String(20 + (i % 40));
      const region = i === 2900 ? '"far, away"' : i % 13 === 0 ? "" : "asia";
      rows.push(
        i % 211 === 0 ? `R${i},2020-01-01,${age}` : `R${i % 1500},2020-01-01,${age},${i % 7},${region}`,
      );
    }
    const path = file(`${rows.join("\r\n")}\r\n`);
    const rejectsFile = (tag: string) => join(dir, `big-${tag}.csv`);
    const reference = await outcome(path, CSV_PARSE_ONLY, {
      rejectsFile: rejectsFile("ref"),
      maxErrors: 5000,
    });
    for (const chunkBytes of [997, 4096, 1 << 16]) {
      expect(
        await outcome(
          path,
          { fastPath: true, chunkBytes },
          { rejectsFile: rejectsFile("fast"), maxErrors: 5000 },
        ),
      ).toEqual(reference);
    }
    expect((reference as { rejected: number }).rejected).toBeGreaterThan(1500);
  });
});

describe("quick row conversion agrees with RowChecker", () => {
  // Good rows with one or two cells respelled: the quick converter must take exactly the spellings it
  // converts identically and leave the rest (with their error messages) to RowChecker.
  const SPELLINGS: Record<string, string[]> = {
    integer: [
      "0",
      "7",
      "007",
      "3.0",
      "3.",
      "3.5",
      "-1",
      "+2",
      "1e1",
      "256",
      "120",
      "121",
      "x",
      "",
      "1.0000000000000001",
      " 5",
    ],
    number: [
      "0",
      "0.25",
      ".5",
      "5.",
      "12.345678901234",
      "1234567890123456",
      "0.1000000000000000055511",
      "-0",
      "1e3",
      "1..2",
      "NaN",
      "",
    ],
    boolean: ["true", "false", "1", "0", "TRUE", "Yes", "no", "maybe", "", "truee"],
    date: [
      "2020-01-01",
      "2020-02-29",
      "2019-02-29",
      "2020-13-01",
      "2020-1-01",
      "20200101",
      "2020-00-10",
      "0000-03-01",
      "",
    ],
    sex: ["F", "M", "X", "f", "FM", ""],
    achievement: ["none", "award", "recognition", "Award", ""],
    text: ["asia", "", "=x", "é", "a b"],
  };

  it("on every column's tricky spellings, with and without rejects", async () => {
    const rng = createRng("quick-row-equivalence");
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
    const header = APPLICANT_COLUMNS.map((c) => c.name);
    const rows = [header.join(",")];
    for (let i = 0; i < 1500; i++) {
      const cells = APPLICANT_COLUMNS.map((c) => goodCell(c.name, c.type, i));
      for (let m = Math.floor(rng.next() * 3); m > 0; m--) {
        const k = Math.floor(rng.next() * cells.length);
        const type = APPLICANT_COLUMNS[k]!.type;
        cells[k] = k === 0 ? pick(["", `Q${i % 40}`, "A1", "申請-1"]) : pick(SPELLINGS[type]!);
      }
      rows.push(cells.join(","));
    }
    const path = file(`${rows.join("\n")}\n`);
    for (const rejects of [false, true]) {
      const opts = (tag: string): ReadApplicantCsvOptions =>
        rejects ? { rejectsFile: join(dir, `quick-${tag}.csv`), maxErrors: 10_000 } : { maxErrors: 10_000 };
      const reference = await outcome(path, CSV_PARSE_ONLY, opts("ref"));
      expect(await outcome(path, { fastPath: true, chunkBytes: 4096 }, opts("fast"))).toEqual(reference);
      if (rejects) {
        const { rejected, applicants } = reference as { rejected: number; applicants: unknown[] };
        // both kinds of row are well represented
        expect(Math.min(rejected, applicants.length)).toBeGreaterThan(300);
      }
    }
  });
});

function goodCell(name: string, type: string, i: number): string {
  switch (name) {
    case "id":
      return `G${String(i).padStart(6, "0")}`;
    case "age":
      return String(30 + (i % 30));
    case "years_experience":
      return "10.5";
    case "spouse_accompanying":
      return "true";
  }
  switch (type) {
    case "date":
      return `2020-0${1 + (i % 9)}-1${i % 10}`;
    case "integer":
      return String(i % 4);
    case "number":
      return i % 2 === 0 ? "0.25" : String(i % 2);
    case "boolean":
      return i % 3 === 0 ? "false" : "true";
    case "sex":
      return "FMX"[i % 3]!;
    case "achievement":
      return "none";
  }
  return ["asia", "europe", "", "it_telecom"][i % 4]!;
}
