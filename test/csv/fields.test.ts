import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  daysFromCivil,
  NOT_A_CALENDAR_DATE,
  parseBooleanCell,
  parseDecimal,
  parseIsoDateCell,
} from "../../src/applicants/csv/fields.js";
import { formatPlainNumber } from "../../src/csv-writer.js";
import { formatIsoDay, parseIsoDay } from "../../src/dates.js";

describe("parseDecimal", () => {
  it("reads plain decimals exactly as Number() does", () => {
    for (const text of [
      "0",
      "7",
      "4.9",
      "0.1",
      ".5",
      "5.",
      "-2.25",
      "+3",
      "1200000.75",
      "0.30000000000000004",
      "123456789012345678",
      "1e3",
      "2.5E-3",
    ]) {
      expect(parseDecimal(text)).toBe(Number(text));
    }
  });

  it("agrees with Number() on every double's shortest text and on random digit strings", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = formatPlainNumber(x);
        // -0 is written as "0"
        expect(parseDecimal(text)).toBe(x === 0 ? 0 : x);
        expect(parseDecimal(text)).toBe(Number(text));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,17}(\.[0-9]{0,8})?$/), (text) => {
        expect(parseDecimal(text)).toBe(Number(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects what is not a decimal number", () => {
    for (const text of [
      "",
      "-",
      ".",
      "1.2.3",
      " 1",
      "1 ",
      "abc",
      "0x10",
      "Infinity",
      "NaN",
      "1,000",
      "1e",
      "--1",
      "1_000",
    ]) {
      expect(parseDecimal(text)).toBeNaN();
    }
  });
});

describe("parseBooleanCell", () => {
  it("accepts true/false, 1/0, yes/no in any case", () => {
    for (const t of ["true", "TRUE", "True", "1", "yes", "YES", "Yes"]) expect(parseBooleanCell(t)).toBe(1);
    for (const f of ["false", "FALSE", "False", "0", "no", "NO", "No"]) expect(parseBooleanCell(f)).toBe(0);
    for (const bad of ["", "y", "n", "t", "f", "2", "yess", " true", "truee", "on"])
      expect(parseBooleanCell(bad)).toBe(-1);
  });
});

describe("parseIsoDateCell", () => {
  it("matches parseIsoDay on every day from 1990 to 2040", () => {
    for (let day = parseIsoDay("1990-01-01"); day <= parseIsoDay("2040-12-31"); day++) {
      const text = formatIsoDay(day);
      expect(parseIsoDateCell(text)).toBe(day);
    }
  });

  it("tells malformed text from impossible dates", () => {
    for (const text of [
      "2020-1-01",
      "2020/01/01",
      "20200101",
      "2020-01-01T00:00",
      "2020-01-0a",
      "",
      "２０２０-01-01",
    ]) {
      expect(parseIsoDateCell(text)).toBeNaN();
    }
    for (const text of [
      "2023-02-29",
      "2100-02-29",
      "2020-04-31",
      "2020-00-10",
      "2020-13-01",
      "2020-01-00",
      "2020-01-32",
    ]) {
      expect(parseIsoDateCell(text)).toBe(NOT_A_CALENDAR_DATE);
    }
    expect(parseIsoDateCell("2000-02-29")).toBe(parseIsoDay("2000-02-29"));
    expect(parseIsoDateCell("2024-02-29")).toBe(parseIsoDay("2024-02-29"));
  });

  it("uses the Unix epoch", () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
  });
});

describe("formatPlainNumber", () => {
  it("never uses exponent notation and keeps the shortest round-trip digits", () => {
    expect(formatPlainNumber(4.9)).toBe("4.9");
    expect(formatPlainNumber(1e21)).toBe("1000000000000000000000");
    expect(formatPlainNumber(1.5e22)).toBe("15000000000000000000000");
    expect(formatPlainNumber(1e-7)).toBe("0.0000001");
    expect(formatPlainNumber(-1.25e-8)).toBe("-0.0000000125");
    expect(formatPlainNumber(123456789.125)).toBe("123456789.125");
    expect(formatPlainNumber(0)).toBe("0");
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = formatPlainNumber(x);
        expect(text).not.toMatch(/e/i);
        expect(Number(text)).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 2000 },
    );
  });
});
