import { readdirSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import {
  type CsvValue,
  csvCell,
  csvField,
  csvRecord,
  csvValue,
  formatCsv,
  openCsvWriter,
  writeCsvFile,
  writeCsvFileSync,
  writeCsvRecords,
} from "../../src/csv-writer.js";
import { InputError, OutputError, outputError } from "../../src/errors.js";
import { fixtureDir, readText } from "./fixtures.js";

const dir = fixtureDir();

describe("csvCell", () => {
  it("prefixes text that a spreadsheet would run as a formula", () => {
    expect(["=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx"].map(csvCell)).toEqual([
      "'=SUM(A1)",
      "'+1",
      "'-1",
      "'@cmd",
      "'\tx",
      "'\rx",
    ]);
  });
  it("leaves other text alone", () => {
    expect(["", "A1", "a=b", "1-2", " =x", "'quoted", "über"].map(csvCell)).toEqual([
      "",
      "A1",
      "a=b",
      "1-2",
      " =x",
      "'quoted",
      "über",
    ]);
  });
});

describe("csvValue", () => {
  it("writes numbers as numbers, even negative ones, and never in exponent form", () => {
    expect([-1, 0, 4.9, 1e21, 1e-7].map((v) => csvValue(v))).toEqual([
      "-1",
      "0",
      "4.9",
      "1000000000000000000000",
      "0.0000001",
    ]);
  });
  it("writes booleans, null and non-finite numbers", () => {
    expect(
      [true, false, null, undefined, Number.NaN, Number.POSITIVE_INFINITY].map((v) => csvValue(v)),
    ).toEqual(["true", "false", "", "", "", ""]);
  });
  it("neutralises text unless told not to", () => {
    expect(csvValue("-1")).toBe("'-1");
    expect(csvValue("-1", false)).toBe("-1");
  });
});

describe("csvRecord", () => {
  it("writes every record exactly as csv-stringify does", () => {
    const alphabet = ["a", ",", '"', "\n", "\r", "\r\n", " ", "é", "'", "=", "#", "\t", "1.5", ""];
    const rows: string[][] = [[], [""], ["", ""], ['"'], ["a\rb"], ["x", "y,z", 'say "hi"']];
    let state = 7;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state;
    };
    for (let r = 0; r < 2000; r++) {
      const cells = Array.from({ length: next() % 5 }, () =>
        Array.from({ length: next() % 4 }, () => alphabet[next() % alphabet.length]!).join(""),
      );
      rows.push(cells);
    }
    for (const cells of rows) {
      expect(csvRecord(cells)).toBe(stringify([cells], { record_delimiter: "\n" }));
      // a record is its cells encoded one by one (csvField), which pre-encoded records rely on
      if (cells.length > 0 && !(cells.length === 1 && cells[0] === ""))
        expect(`${cells.map((c) => csvField(c, false)).join(",")}\n`).toBe(csvRecord(cells));
    }
  });
});

describe("CSV file writers", () => {
  const header = ["id", "note", "score", "passed"];
  const rows = [
    ["A1", '=HYPERLINK("x")', -3, true],
    ["A2", "a, b\nc", 4.5, null],
  ];
  const expected = 'id,note,score,passed\nA1,"\'=HYPERLINK(""x"")",-3,true\nA2,"a, b\nc",4.5,\n';

  it("formats a table with quoting and neutralised text", () => {
    expect(formatCsv(header, rows)).toBe(expected);
  });

  it("writes the same bytes through every writer, atomically", async () => {
    const sub = join(dir, "out");
    await writeCsvFile(join(sub, "a.csv"), header, rows);
    writeCsvFileSync(join(sub, "b.csv"), header, rows);
    const writer = openCsvWriter(join(sub, "c.csv"), header);
    for (const row of rows) await writer.write(row);
    expect(readdirSync(sub)).not.toContain("c.csv");
    await writer.close();
    await writeCsvRecords(join(sub, "d.csv"), header, [
      rows.map((row) => `${row.map((v) => csvField(v)).join(",")}\n`).join(""),
    ]);
    expect(readdirSync(sub).sort()).toEqual(["a.csv", "b.csv", "c.csv", "d.csv"]);
    for (const f of ["a.csv", "b.csv", "c.csv", "d.csv"]) expect(readText(join(sub, f))).toBe(expected);
  });

  it("a second close() waits for the same rename; close() after abort() and write() after close() fail", async () => {
    const sub = join(dir, "twice");
    const writer = openCsvWriter(join(sub, "t.csv"), header);
    writer.write(rows[0]!);
    const first = writer.close();
    expect(writer.close()).toBe(first);
    await first;
    expect(readdirSync(sub)).toEqual(["t.csv"]);
    expect(() => writer.write(rows[0]!)).toThrow(/write after the CSV writer was closed/);

    const aborted = openCsvWriter(join(sub, "u.csv"), header);
    await aborted.abort();
    await expect(aborted.close()).rejects.toThrow(/aborted, nothing was written/);
    expect(readdirSync(sub)).toEqual(["t.csv"]);
  });

  it("abort() ends a wait for the file to drain", async () => {
    const writer = openCsvWriter(join(dir, "drain", "d.csv"), header);
    const long = "x".repeat(4096);
    let wait: Promise<void> | undefined;
    for (let i = 0; i < 2000 && !wait; i++) wait = writer.write([i, long, 1, true]);
    expect(wait).toBeInstanceOf(Promise);
    await writer.abort();
    await expect(wait).resolves.toBeUndefined();
    expect(readdirSync(join(dir, "drain"))).toEqual([]);
  });

  it("leaves nothing behind when a streamed write is aborted", async () => {
    const sub = join(dir, "aborted");
    const writer = openCsvWriter(join(sub, "x.csv"), header);
    await writer.write(rows[0]!);
    await writer.abort();
    expect(readdirSync(sub)).toEqual([]);
  });

  it("keeps the bytes and their order across its buffers: multi-byte text, records longer than a buffer", async () => {
    const path = join(dir, "wide.csv");
    const rows: CsvValue[][] = [];
    for (let i = 0; i < 60_000; i++) rows.push([`ü${i}`, "日本語,テキスト", `😀 ${"é".repeat(i % 50)}`, i]);
    const long = `${"x".repeat(3 << 20)}\n`;
    const writer = openCsvWriter(path, ["a", "b", "c", "n"]);
    for (const [k, row] of rows.entries()) {
      await writer.write(row);
      if (k === 30_000) await writer.writeRecords(long);
    }
    await writer.close();
    const expected = formatCsv(["a", "b", "c", "n"], rows);
    const at = expected.split("\n", 30_002).join("\n").length + 1;
    expect(readText(path)).toBe(expected.slice(0, at) + long + expected.slice(at));
  });

  it("names the file it cannot write, in words, whichever writer", async () => {
    const blocker = join(dir, "a-file");
    writeCsvFileSync(blocker, ["x"], []);
    const target = join(blocker, "out.csv");
    const expected = `${target}: cannot write: part of its folder path is a file, not a folder (EEXIST)`;
    const failures = [
      await writeCsvFile(target, ["x"], [[1]]).catch((err: unknown) => err),
      await writeCsvRecords(target, ["x"], ["1\n"]).catch((err: unknown) => err),
      (() => {
        try {
          writeCsvFileSync(target, ["x"], [[1]]);
        } catch (err) {
          return err;
        }
      })(),
    ];
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(OutputError);
      expect((failure as OutputError).format()).toBe(expected);
    }
  });

  it("passes typed errors through and leaves errors that are not the system's alone", () => {
    const typed = new InputError("bad");
    expect(outputError("x.csv", typed)).toBe(typed);
    const bug = new TypeError("undefined is not a function");
    expect(outputError("x.csv", bug)).toBe(bug);
    const full = Object.assign(new Error("write failed"), { code: "ENOSPC" });
    expect((outputError("x.csv", full) as OutputError).format()).toBe(
      "x.csv: cannot write: no space left on the device (ENOSPC)",
    );
    const odd = Object.assign(new Error("io"), { code: "EIO" });
    expect((outputError("x.csv", odd) as OutputError).format()).toBe(
      "x.csv: cannot write: system error (EIO)",
    );
  });

  it("streams a large table with back-pressure", async () => {
    const path = join(dir, "big.csv");
    function* many() {
      for (let i = 0; i < 200_000; i++) yield [`A${i}`, i, i % 2 === 0];
    }
    await writeCsvFile(path, ["id", "n", "even"], many());
    const text = readText(path);
    const lines = text.split("\n");
    expect(lines.length).toBe(200_002);
    expect(lines[200_000]).toBe("A199999,199999,false");
  });
});
