import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { stringify as stringifySync } from "csv-stringify/sync";
import { tempPathFor, writeFileAtomic } from "./atomic.js";
import { outputError } from "./errors.js";

/**
 * A number as plain decimal text that reads back to the same double: the shortest round-trip digits
 * of `String(x)`, with any exponent (1e+21, 1e-7) expanded so that spreadsheets and humans see digits.
 */
export function formatPlainNumber(x: number): string {
  const s = String(x);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const negative = s.charCodeAt(0) === 45;
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  // position of the decimal point relative to the start of `digits`
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

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
  /** Queue whole records already encoded (csvField cells joined by commas, each ending in `\n`); like write(). */
  writeRecords(text: string): undefined | Promise<void>;
  /** Finish the file and rename it into place. */
  close(): Promise<void>;
  /** Give up: the temporary file is removed and nothing replaces the target. */
  abort(): Promise<void>;
}

/** Cells that csv-stringify may quote (delimiter, quote, line ends); every other row is a plain join. */
const MAY_NEED_QUOTES = /[",\r\n]/;

/**
 * One record as csv-stringify writes it (record delimiter `\n`). Rows without a character that could
 * need quoting, nearly all of them, are joined here: the same bytes without csv-stringify's per-record
 * stream machinery (a 271,000-row replications.csv took 0.43 s through the stream, ≈0.1 s this way).
 */
export function csvRecord(cells: readonly string[]): string {
  for (let i = 0; i < cells.length; i++)
    if (MAY_NEED_QUOTES.test(cells[i]!))
      return stringifySync([cells as string[]], { record_delimiter: "\n" });
  return `${cells.join(",")}\n`;
}

/**
 * One cell as it appears in csvRecord's output: csv-stringify quotes each cell on its own, so a record
 * is its cells' fields joined by commas. For tables whose rows repeat the same leading cells (encoded
 * once) before a few that change.
 */
export function csvField(value: CsvValue, neutraliseText = true): string {
  const text = csvValue(value, neutraliseText);
  return MAY_NEED_QUOTES.test(text) ? stringifySync([[text]], { record_delimiter: "\n" }).slice(0, -1) : text;
}

/** Bytes handed to the file at a time. */
const CHUNK_BYTES = 1 << 20;

/**
 * Open a streaming CSV writer: records (csvRecord, csv-stringify's quoting) are encoded into ~1 MB
 * buffers written to a temporary file beside `path`, which `close()` renames into place. The buffers
 * are used again once written: handing the stream 1 MB strings made it allocate a fresh buffer per
 * chunk, and the concatenated string was copied once more to be encoded (24 MB of replications.csv
 * took 0.28–0.37 s that way, ≈0.15 s this way).
 */
export function openCsvWriter(
  path: string,
  header: readonly string[],
  options: CsvWriterOptions = {},
): CsvWriter {
  const neutralise = options.neutraliseText !== false;
  const tmp = tempPathFor(path);
  const out = createWriteStream(tmp);
  let failure: Error | undefined;
  // kept as an OutputError naming this file: a rejects file fails while the pool is being read, and a
  // bare system error would be reported against the file being read
  out.on("error", (err: Error) => {
    failure ??= outputError(path, err) as Error;
  });
  // the buffer being filled, how much of it is, and the written ones ready to be filled again
  const spare: Buffer[] = [];
  let buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let filled = 0;
  let closing: Promise<void> | null = null;
  let aborted = false;
  // the wait shared by every write until the file stream drains (callers that keep writing without
  // awaiting would otherwise stack a listener per chunk); abort() ends it
  let drained: { promise: Promise<void>; end: () => void } | null = null;
  const drain = () => {
    if (drained) return drained.promise;
    let end!: () => void;
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    // a stream error rejects the wait; the error is also kept in `failure` and thrown by the next
    // write() or close(), so a caller that holds the promise without awaiting it loses nothing
    const drainedOrFailed = once(out, "drain").then(
      () => undefined,
      (err: unknown) => {
        throw outputError(path, err);
      },
    );
    const promise = Promise.race([drainedOrFailed, ended]).finally(() => {
      drained = null;
    });
    promise.catch(() => {});
    drained = { promise, end };
    return promise;
  };
  // destroy() returns at once, but a file still being opened is created and closed afterwards: wait
  // for that before removing it, or the temporary file can reappear after rm
  const destroyed = async () => {
    out.destroy();
    if (!out.closed) await once(out, "close").catch(() => {});
  };
  const finish = async () => {
    try {
      if (failure) throw failure;
      out.end(buffer.subarray(0, filled));
      filled = 0;
      await finished(out);
      if (failure) throw failure;
      await rename(tmp, path);
    } catch (err) {
      await destroyed();
      await rm(tmp, { force: true });
      throw outputError(path, err);
    }
  };
  // hand the filled part of the buffer to the stream and take a spare one (the written buffer becomes
  // spare when the stream is done with it); false when the stream is backed up
  const flush = (): boolean => {
    const full = buffer;
    const ready = out.write(full.subarray(0, filled), () => spare.push(full));
    buffer = spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    filled = 0;
    return ready;
  };
  const queue = (text: string): undefined | Promise<void> => {
    // a UTF-16 code unit is at most 3 bytes of UTF-8
    if (filled + 3 * text.length <= buffer.length) {
      filled += buffer.write(text, filled);
      return undefined;
    }
    let ready = filled > 0 ? flush() : true;
    if (3 * text.length <= buffer.length) filled += buffer.write(text, filled);
    else ready = out.write(text) && ready;
    return ready ? undefined : drain();
  };
  queue(csvRecord(header.map((h) => csvValue(h, neutralise))));
  const assertOpen = () => {
    if (failure) throw failure;
    if (closing || aborted) throw new Error(`${path}: write after the CSV writer was closed`);
  };
  return {
    write(row) {
      assertOpen();
      const cells = new Array<string>(row.length);
      for (let i = 0; i < row.length; i++) cells[i] = csvValue(row[i], neutralise);
      return queue(csvRecord(cells));
    },
    writeRecords(text) {
      assertOpen();
      return queue(text);
    },
    close() {
      if (aborted)
        return Promise.reject(new Error(`${path}: the CSV writer was aborted, nothing was written`));
      // a second close() waits for the same rename (and fails the same way)
      closing ??= finish();
      return closing;
    },
    async abort() {
      if (closing || aborted) return;
      aborted = true;
      filled = 0;
      drained?.end();
      await destroyed();
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
  await writeAll(openCsvWriter(path, header, options), rows, (writer, row) => writer.write(row));
}

/** Write a whole CSV file atomically from records already encoded (see CsvWriter.writeRecords), streamed. */
export async function writeCsvRecords(
  path: string,
  header: readonly string[],
  records: Iterable<string>,
  options: CsvWriterOptions = {},
): Promise<void> {
  await writeAll(openCsvWriter(path, header, options), records, (writer, text) => writer.writeRecords(text));
}

/** Feed every item to the writer, waiting whenever the file is backed up; on any failure nothing is left. */
async function writeAll<T>(
  writer: CsvWriter,
  items: Iterable<T>,
  put: (writer: CsvWriter, item: T) => undefined | Promise<void>,
): Promise<void> {
  try {
    for (const item of items) {
      const backedUp = put(writer, item);
      if (backedUp) await backedUp;
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  await writer.close();
}

/** A small table as CSV text (header first, `\n` line ends), cells formatted like the writers do. */
export function formatCsv(
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  options: CsvWriterOptions = {},
): string {
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
