import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseApplicantRow, readApplicantCsv, writeApplicantCsv } from "../../src/applicants/csv/index.js";
import { type ApplicantPool, applicantAt, poolFromApplicants } from "../../src/applicants/pool.js";
import { APPLICANT_COLUMNS, type Applicant, defaultApplicant } from "../../src/applicants/record.js";
import { fixture, fixtureDir, readText } from "./fixtures.js";

const dir = fixtureDir();

function applicants(): Applicant[] {
  const a = defaultApplicant("A1", "2018-06-15", 41);
  const b: Applicant = {
    ...defaultApplicant('B,"2"', "2024-02-29", 30),
    sex: "F",
    region: "europe",
    sector: "it_telecom",
    profession: "line one\nline two",
    bachelor_degrees: 2,
    master_degrees: 1,
    professional_qualification: true,
    years_experience: 4.9,
    years_senior: 0.1 + 0.2,
    years_international: 1e-7,
    other_languages: 3,
    annual_income_hkd: 1e21,
    business_profit_hkd: 123456789.125,
    listed_company_stake: 0.1,
    spouse_accompanying: true,
    spouse_degree: true,
    children_under_18: 255,
    achievement: "recognition",
    financial_means: false,
  };
  const c: Applicant = {
    ...defaultApplicant("=cmd", "2006-06-28", 120),
    region: "-x",
    sex: "M",
    achievement: "award",
  };
  return [a, b, c];
}

async function roundTrip(pool: ApplicantPool, name: string): Promise<ApplicantPool> {
  const path = join(dir, name);
  await writeApplicantCsv(pool, path);
  return (await readApplicantCsv(path, { allowExtraColumns: true })).pool;
}

describe("writeApplicantCsv", () => {
  it("writes every contract column in order, numbers in plain decimals, booleans as true/false", async () => {
    const path = join(dir, "sub", "pool.csv");
    await writeApplicantCsv(poolFromApplicants(applicants()), path);
    const text = readText(path);
    const [header, first] = text.split("\n");
    expect(header).toBe(APPLICANT_COLUMNS.map((c) => c.name).join(","));
    expect(first).toBe(
      "A1,2018-06-15,41,X,other,other,,0,0,0,false,false,false,false,0,0,0,0,0,false,false,0,0,0,0,false,false,false,0,none,true,true",
    );
    expect(text).toContain(
      '"B,""2""",2024-02-29,30,F,europe,it_telecom,"line one\nline two",2,1,0,true,false,false,false,4.9,0.30000000000000004,0.0000001,0,0,false,false,3,1000000000000000000000,123456789.125,0.1,false,true,true,255,recognition,false,true\n',
    );
    // an applicant CSV is data to read back, so text cells are not altered
    expect(text).toContain("\n=cmd,2006-06-28,120,M,-x,");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("reads back exactly what it wrote", async () => {
    const original = poolFromApplicants(applicants());
    const back = await roundTrip(original, "round.csv");
    expect(back.size).toBe(original.size);
    for (let i = 0; i < original.size; i++) expect(applicantAt(back, i)).toEqual(applicantAt(original, i));
    expect(back.columns).toEqual(original.columns);
    expect(back.dictionaries).toEqual(original.dictionaries);
  });

  it("round-trips a CSV with extra columns through read, write, read", async () => {
    const source = fixture(
      dir,
      "extra.csv",
      'id,note,applied_on,age\nA1,first,2020-01-01,30\nA2,"a, b",2020-01-02,31\n',
    );
    const first = (await readApplicantCsv(source, { allowExtraColumns: true })).pool;
    const second = await roundTrip(first, "extra-out.csv");
    expect(second.extra).toEqual({ names: ["note"], values: [["first", "a, b"]] });
    expect(second.columns).toEqual(first.columns);
    expect(readText(join(dir, "extra-out.csv")).split("\n")[0]).toBe(
      `${APPLICANT_COLUMNS.map((c) => c.name).join(",")},note`,
    );
  });

  it("writes to a stream and leaves it open", async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    await writeApplicantCsv(poolFromApplicants([defaultApplicant("S1", "2020-01-01", 30)]), stream);
    expect(stream.writableEnded).toBe(false);
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text.split("\n").length).toBe(3);
    expect(text.split("\n")[1]!.startsWith("S1,2020-01-01,30,X,")).toBe(true);
  });
});

describe("parseApplicantRow", () => {
  it("validates one row with the reader's rules", () => {
    expect(
      parseApplicantRow({ id: "A", applied_on: "2020-01-01", age: "30", chinese: "YES" }).applicant,
    ).toEqual({
      ...defaultApplicant("A", "2020-01-01", 30),
      chinese: true,
    });
    expect(
      parseApplicantRow({ id: "A", applied_on: "2020-02-30", age: "30", years_experience: "17" }).problems,
    ).toEqual([
      { column: "applied_on", reason: "no such calendar date", value: "2020-02-30" },
      { column: "years_experience", reason: "more than age minus 14, which is 16", value: "17" },
    ]);
  });
});
