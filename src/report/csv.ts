import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";
import { writeFileAtomic, tempPathFor } from "../atomic.js";
import { formatPlainNumber } from "../applicants/csv-fields.js";

/** A cell as code hands it over: text is neutralised, numbers and booleans are written as values. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * Text that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, or a tab / carriage
 * return that some spreadsheets skip before looking) gets a leading `'`, which spreadsheets show as
 * text. Numbers never pass through here, so a numeric -1 stays -1.
 */
export function csvCell(text: string): string {
  if (text.length === 0) return text;
  switch (text.charCodeAt(0)) {
    case 61: // =
    case 43: // +
    case 45: // -
    case 64: // @
    case 9: // tab
    case 13: // carriage return
      return `'${text}`;
  }
  return text;
}

/** How one value is written: numbers in plain decimal (never 1e+21), booleans true/false, null empty. */
export function csvValue(value: CsvValue, neutraliseText = true): string {
  switch (typeof value) {
    case "string":
      return neutraliseText ? csvCell(value) : value;
    case "number":
      return Number.isFinite(value) ? formatPlainNumber(value) : "";
    case "boolean":
      return value ? "true" : "false";
    default:
      return "";
  }
}

export interface CsvWriterOptions {
  /**
   * Neutralise formulas in text cells (default true). Only files whose cells must read back exactly
   * (an applicant CSV, a rejects file holding the user's own cells) turn it off.
   */
  neutraliseText?: boolean;
}

/** A CSV file written row by row and renamed into place when closed. */
export interface CsvWriter {
  /** Queue one row. Returns a promise when the output is backed up: await it in loops over many rows. */
  write(row: readonly CsvValue[]): undefined | Promise<void>;
  /** Finish the file and rename it into place. */
  close(): Promise<void>;
  /** Give up: the temporary file is removed and nothing replaces the target. */
  abort(): Promise<void>;
}

/**
 * Open a streaming CSV writer: rows go through csv-stringify (fed arrays of text, its fastest input)
 * into a temporary file beside `path`, which `close()` renames into place.
 */
export function openCsvWriter(path: string, header: readonly string[], options: CsvWriterOptions = {}): CsvWriter {
  const neutralise = options.neutraliseText !== false;
  const tmp = tempPathFor(path);
  const out = createWriteStream(tmp);
  const stringifier = stringify({ record_delimiter: "\n" });
  stringifier.pipe(out);
  let failure: Error | undefined;
  const remember = (err: Error) => {
    failure ??= err;
  };
  out.on("error", remember);
  stringifier.on("error", remember);
  stringifier.write(header.map((h) => csvValue(h, neutralise)));
  let closed = false;
  let drained: Promise<void> | null = null;
  return {
    write(row) {
      if (failure) throw failure;
      const cells = new Array<string>(row.length);
      for (let i = 0; i < row.length; i++) cells[i] = csvValue(row[i], neutralise);
      if (stringifier.write(cells)) return undefined;
      // one wait shared by every write until the buffer drains: callers that keep writing without
      // awaiting would otherwise stack a listener per row
      drained ??= once(stringifier, "drain").then(() => {
        drained = null;
      });
      return drained;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        stringifier.end();
        await finished(out);
        if (failure) throw failure;
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    async abort() {
      if (closed) return;
      closed = true;
      stringifier.destroy();
      out.destroy();
      await rm(tmp, { force: true });
    },
  };
}

/** Write a whole CSV file atomically from any iterable of rows (streamed, so large outputs are fine). */
export async function writeCsvFile(
  path: string,
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  options: CsvWriterOptions = {},
): Promise<void> {
  const writer = openCsvWriter(path, header, options);
  try {
    for (const row of rows) {
      const backedUp = writer.write(row);
      if (backedUp) await backedUp;
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  await writer.close();
}

/** A small table as CSV text (header first, `\n` line ends), cells formatted like the writers do. */
export function formatCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>, options: CsvWriterOptions = {}): string {
  const neutralise = options.neutraliseText !== false;
  const records: string[][] = [header.map((h) => csvValue(h, neutralise))];
  for (const row of rows) records.push(row.map((v) => csvValue(v, neutralise)));
  return stringifySync(records, { record_delimiter: "\n" });
}

/** Synchronous atomic write of a small table (summaries, per-round tables). */
export function writeCsvFileSync(
  path: string,
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  options: CsvWriterOptions = {},
): void {
  writeFileAtomic(path, formatCsv(header, rows, options));
}
