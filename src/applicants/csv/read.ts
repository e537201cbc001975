import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { type Info, type Parser, parse } from "csv-parse";
import { type CsvWriter, csvCell, openCsvWriter } from "../../csv-writer.js";
import { CsvFileError, CsvRowError, ErrorList, QmasError } from "../../errors.js";
import { type BadByte, Utf8Check } from "../../utf8.js";
import type { ApplicantPool } from "../pool.js";
import { FastSplitter, type HandOver } from "./fast-split.js";
import { type HeaderLayout, resolveHeader } from "./header.js";
import { IdRegistry } from "./ids.js";
import { PoolBuilder } from "./pool-builder.js";
import { QuickRowDecoder } from "./quick-row.js";
import { RowChecker, type RowProblem } from "./row.js";

export interface ReadApplicantCsvOptions {
  /** Write bad rows here (their fields plus `row` and `reason`) and keep going instead of failing. */
  rejectsFile?: string;
  /** Carry columns the contract does not know through in `pool.extra` instead of failing. */
  allowExtraColumns?: boolean;
  /** How many row errors to keep (and to put into the ErrorList). Default 20. */
  maxErrors?: number;
  /** Called about every 64k rows and at the end with rows and bytes read so far. */
  onProgress?: (rows: number, bytes: number) => void;
}

export interface CsvReadResult {
  pool: ApplicantPool;
  /** data rows in the file (blank lines are not rows); always pool.size + rejected */
  rowsRead: number;
  /** rows written to the rejects file */
  rejected: number;
  /** the first `maxErrors` row errors */
  errors: CsvRowError[];
  /** all row errors, including those not kept in `errors` */
  errorCount: number;
}

const PROGRESS_EVERY = 65_536;

/**
 * Read and validate an applicant CSV (docs/applicant-csv.md) into a columnar pool.
 *
 * The file is streamed and each record is converted straight into typed-array columns, so memory
 * holds the pool, not the text. Every row is checked completely and each problem becomes a
 * CsvRowError `file:line: column: reason (value)`, the line being where the record starts. With
 * `rejectsFile`, bad rows go there and reading succeeds; without it, the whole file is still read (so
 * the user sees every kind of problem at once) and then an ErrorList is thrown.
 *
 * Records are split by a plain line/comma splitter while the input holds no double quote, and by
 * csv-parse from the first record that has one (see fast-split.ts for why and the measurements).
 */
export function readApplicantCsv(
  file: string,
  options: ReadApplicantCsvOptions = {},
): Promise<CsvReadResult> {
  return readApplicantCsvWith(file, options, DEFAULT_TUNING);
}

/** How a read splits its input; tests use it to force csv-parse and small chunks. */
export interface CsvReadTuning {
  /** split quote-free input without csv-parse (default true) */
  fastPath: boolean;
  /** bytes per read from the file */
  chunkBytes: number;
}

const DEFAULT_TUNING: CsvReadTuning = { fastPath: true, chunkBytes: 1 << 20 };

/** readApplicantCsv with the splitting chosen explicitly (same results whatever the tuning). */
export async function readApplicantCsvWith(
  file: string,
  options: ReadApplicantCsvOptions,
  tuning: CsvReadTuning,
): Promise<CsvReadResult> {
  const fileSize = await sizeOf(file);
  const utf8 = new Utf8Check(file);
  const reader = new ApplicantCsvReader(file, options, fileSize, utf8);
  const splitter = new RecordSplitter(reader, tuning.fastPath);
  const input = createReadStream(file, { highWaterMark: tuning.chunkBytes });
  try {
    for await (const chunk of input) {
      utf8.write(chunk as Buffer);
      splitter.write(chunk as Buffer);
      if (splitter.stopped) break;
      const backedUp = reader.takeBackPressure();
      if (backedUp) await backedUp;
    }
    if (!splitter.stopped) {
      utf8.end();
      await splitter.end();
    }
  } catch (err) {
    await reader.abort();
    throw fileError(file, err, splitter.lineOffset);
  } finally {
    input.destroy();
    utf8.close();
  }
  if (splitter.stopped) {
    await reader.abort();
    throw fileError(file, reader.fatal ?? splitter.parserError, splitter.lineOffset);
  }
  return reader.finish();
}

/**
 * Feeds the reader records: from the fast splitter while no double quote has been seen, then from
 * csv-parse, which receives everything from the start of the first record holding a quote.
 */
class RecordSplitter {
  private readonly fast: FastSplitter | undefined;
  private parser: Parser | undefined;
  /** lines before the part csv-parse reads (its own line numbers start at 1 there) */
  lineOffset = 0;

  constructor(
    private readonly reader: ApplicantCsvReader,
    fastPath: boolean,
  ) {
    if (fastPath)
      this.fast = new FastSplitter((text, start, end, lines) => reader.onLine(text, start, end, lines));
    else this.startParser(0, 0);
  }

  get parserError(): Error | undefined {
    return this.parser?.errored ?? undefined;
  }

  get stopped(): boolean {
    return this.reader.fatal !== undefined || (this.parser?.errored ?? null) !== null;
  }

  write(chunk: Buffer): void {
    if (this.parser !== undefined) {
      this.parser.write(chunk);
      return;
    }
    const rest = this.fast!.write(chunk);
    this.reader.bytesRead(this.fast!.bytesConsumed);
    if (rest !== undefined) this.handOver(rest);
  }

  async end(): Promise<void> {
    if (this.parser === undefined) {
      const rest = this.fast!.end();
      this.reader.bytesRead(this.fast!.bytesConsumed);
      if (rest === undefined) return;
      this.handOver(rest);
      if (this.stopped) return;
    }
    const parser = this.parser!;
    parser.end();
    await finished(parser);
  }

  private handOver(rest: HandOver): void {
    this.startParser(this.reader.lineBeforeNextRecord(), rest.offset);
    this.parser!.write(rest.bytes);
  }

  private startParser(lineOffset: number, byteOffset: number): void {
    const parser = parse({
      // Only a parser starting at the top of the file may meet a byte order mark.
      bom: byteOffset === 0,
      // LF and CRLF files, and the odd file that mixes them, end records where a user sees a line end.
      record_delimiter: ["\r\n", "\n"],
      // A record with the wrong number of fields is reported as a bad row, not as a failure of the file.
      relax_column_count: true,
    });
    this.lineOffset = lineOffset;
    this.reader.attachParser(parser.info, byteOffset);
    // Array records through 'data' are csv-parse's fastest output (on_record and `info: true` cost more).
    parser.on("data", (record: string[]) => this.reader.onRecord(record));
    // Errors are read from parser.errored / finished(); this listener only keeps them from being unhandled.
    parser.on("error", () => {});
    this.parser = parser;
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new CsvFileError(file, "is a directory, not a CSV file");
    return s.size;
  } catch (err) {
    if (err instanceof QmasError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CsvFileError(
      file,
      code === "ENOENT" ? "file not found" : `cannot read (${code ?? String(err)})`,
    );
  }
}

function fileError(file: string, err: unknown, lineOffset: number): QmasError {
  if (err instanceof QmasError) return err;
  const e = err as Error & { code?: string; lines?: number };
  if (e.code?.startsWith("CSV_") || e.code === "INVALID_OPENING_QUOTE") {
    return new CsvFileError(
      file,
      `malformed CSV, reading stopped: ${fileLines(e.message, e.lines, lineOffset)}`,
    );
  }
  return new CsvFileError(file, `cannot read (${e.code ?? e.message})`);
}

/** csv-parse's message with its line number counted from the top of the file, not from where it started. */
function fileLines(message: string, parserLine: number | undefined, lineOffset: number): string {
  if (lineOffset === 0 || parserLine === undefined) return message;
  return message.replace(`at line ${parserLine}`, `at line ${parserLine + lineOffset}`);
}

/** Number of line breaks inside the fields of a record (CRLF counts once). */
function lineBreaksIn(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) {
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i);
      if (c === 10) breaks++;
      else if (c === 13) {
        breaks++;
        if (field.charCodeAt(i + 1) === 10) i++;
      }
    }
  }
  return breaks;
}

/** The per-file state of one read: header layout, line numbers, pool under construction, rejects. */
class ApplicantCsvReader {
  fatal: Error | undefined;
  private layout: HeaderLayout | undefined;
  private checker: RowChecker | undefined;
  /** converts common good rows without splitting them (only on the quote-free path) */
  private quick: QuickRowDecoder | undefined;
  private builder: PoolBuilder | undefined;
  private rejects: CsvWriter | undefined;
  private header: readonly string[] = [];
  private backPressure: Promise<void> | undefined;
  private readonly maxErrors: number;
  private readonly errors: CsvRowError[] = [];
  private errorCount = 0;
  private rowsRead = 0;
  private rejected = 0;
  private bytes = 0;
  /** where in the file the current csv-parse instance started */
  private parserByteOffset = 0;
  /** csv-parse's live counters */
  private info: Info | undefined;
  private readonly problems: RowProblem[] = [];
  private readonly ids = new IdRegistry();
  private received = 0;
  /** line on which the next record starts */
  private nextLine = 1;
  private parserLines = 0;
  private scanEveryRecord = false;

  constructor(
    private readonly file: string,
    private readonly options: ReadApplicantCsvOptions,
    private readonly fileSize: number,
    private readonly utf8: Utf8Check,
  ) {
    this.maxErrors = options.maxErrors ?? 20;
  }

  /** From here on records come from a csv-parse instance that starts reading at `byteOffset`. */
  attachParser(info: Info, byteOffset: number): void {
    this.info = info;
    this.parserByteOffset = byteOffset;
    this.received = 0;
    this.parserLines = 0;
    this.scanEveryRecord = false;
  }

  /** Lines of the file before the next record. */
  lineBeforeNextRecord(): number {
    return this.nextLine - 1;
  }

  bytesRead(bytes: number): void {
    this.bytes = bytes;
  }

  /** A record from csv-parse. */
  onRecord(record: string[]): void {
    const lines = this.linesSpannedBy(record);
    this.onLineRecord(record, lines, this.utf8.takeOn(this.nextLine, lines));
  }

  /** A quote-free record text[start, end) that occupies `lines` lines of the file. */
  onLine(text: string, start: number, end: number, lines: number): void {
    const quick = this.quick;
    const bad = this.utf8.takeOn(this.nextLine, lines);
    if (quick !== undefined && start !== end && this.fatal === undefined && bad === undefined) {
      const line = this.nextLine;
      if (quick.tryRow(text, start, end, line)) {
        this.nextLine = line + lines;
        this.rowsRead++;
        this.builder!.append(this.checker!.values, this.checker!.texts);
        if (this.rowsRead % PROGRESS_EVERY === 0) this.options.onProgress?.(this.rowsRead, this.bytes);
        return;
      }
    }
    this.onLineRecord(text.slice(start, end).split(","), lines, bad);
  }

  /** A record that occupies `lines` lines of the file; `bad`: an invalid UTF-8 byte on those lines. */
  onLineRecord(record: string[], lines: number, bad?: BadByte): void {
    const line = this.nextLine;
    this.nextLine = line + lines;
    if (this.fatal) return;
    // A blank line (or one holding only "") is no row: skipped anywhere, as at the end of a file.
    if (record.length === 1 && record[0] === "") return;
    try {
      if (this.layout === undefined) this.onHeader(record, line, bad);
      else this.onRow(record, line, bad);
    } catch (err) {
      this.fatal = err instanceof Error ? err : new Error(String(err));
    }
  }

  /**
   * How many lines of the file a record occupies. Scanning every field for line breaks would cost a
   * pass over all the text, so csv-parse's line counter is used to spot the rare record that spans
   * lines and only that one is scanned (the counter alone is not enough: it counts a CRLF inside a
   * quoted field twice). The counter is trusted only while records arrive synchronously, that is
   * while it still describes the record just delivered.
   */
  private linesSpannedBy(record: readonly string[]): number {
    const info = this.info!;
    this.received++;
    if (info.records !== this.received) this.scanEveryRecord = true;
    const counted = info.lines - this.parserLines;
    this.parserLines = info.lines;
    this.bytes = this.parserByteOffset + info.bytes;
    if (counted === 1 && !this.scanEveryRecord) return 1;
    return 1 + lineBreaksIn(record);
  }

  private onHeader(record: string[], line: number, bad: BadByte | undefined): void {
    if (bad !== undefined)
      throw new CsvFileError(
        this.file,
        `header (line ${line}): invalid UTF-8 at byte ${bad.offset}; save the file as UTF-8`,
      );
    // csv-parse and the splitter end records at LF or CRLF only: a file whose lines end in a lone CR
    // (old Mac style) reads as one long header, whose "duplicate columns" would only confuse
    if (record.some((field) => field.includes("\r")))
      throw new CsvFileError(
        this.file,
        "its lines end in CR only (old Mac line endings); save it with LF or CRLF line endings",
      );
    const layout = resolveHeader(this.file, record, this.options.allowExtraColumns === true);
    this.layout = layout;
    this.checker = new RowChecker(layout);
    if (QuickRowDecoder.applies(layout))
      this.quick = new QuickRowDecoder(layout, this.checker.values, this.checker.texts, this.ids);
    // A guess from the file size saves most of the doubling; ~150 bytes is a typical generated row.
    const estimate = Math.min(Math.ceil(this.fileSize / 150) + 16, 1 << 24);
    this.builder = new PoolBuilder(this.file, layout.extraNames, estimate);
    if (this.options.rejectsFile !== undefined) {
      // Like every other output, formula-like cells are neutralised (a leading '), so a user fixing
      // rows in a spreadsheet never runs one; original_text keeps each changed cell as it came.
      this.header = record;
      this.rejects = openCsvWriter(this.options.rejectsFile, ["row", "reason", "original_text", ...record]);
    }
  }

  private onRow(record: string[], line: number, bad: BadByte | undefined): void {
    const layout = this.layout!;
    const problems = this.problems;
    if (problems.length > 0) problems.length = 0;
    this.rowsRead++;
    if (bad !== undefined)
      problems.push({
        column: "(row)",
        reason: `invalid UTF-8 at byte ${bad.offset} of the file (it would be read as U+FFFD); save the file as UTF-8`,
      });
    if (record.length !== layout.width) {
      problems.push({
        column: "(row)",
        reason: `${record.length} fields, but the header has ${layout.width}`,
      });
    } else {
      this.checker!.check(record, problems);
      const idField = layout.fieldOf[0]!;
      const id = record[idField]!;
      if (id !== "") {
        const first = this.ids.firstLineOf(id, line);
        if (first !== undefined)
          problems.push({ column: "id", reason: `duplicate of the id on line ${first}`, value: id });
      }
    }
    if (problems.length === 0) {
      const checker = this.checker!;
      const extras = layout.extraFields.length > 0 ? layout.extraFields.map((f) => record[f]!) : undefined;
      this.builder!.append(checker.values, checker.texts, extras);
    } else {
      this.reject(record, line, problems);
    }
    if (this.rowsRead % PROGRESS_EVERY === 0) this.options.onProgress?.(this.rowsRead, this.bytes);
  }

  private reject(record: string[], line: number, problems: readonly RowProblem[]): void {
    this.rejected++;
    const prefix = `${this.file}:${line}: `;
    const reasons: string[] = [];
    for (const p of problems) {
      const error = new CsvRowError(this.file, line, p.column, p.reason, p.value);
      this.errorCount++;
      if (this.errors.length < this.maxErrors) this.errors.push(error);
      reasons.push(error.message.slice(prefix.length));
    }
    if (this.rejects) {
      const backedUp = this.rejects.write([
        String(line),
        reasons.join("; "),
        this.changedCells(record),
        ...record,
      ]);
      if (backedUp) this.backPressure = backedUp;
    }
  }

  /** `column: cell` for each cell that neutralising changes ("" when none): it starts with a column name, never a formula. */
  private changedCells(record: readonly string[]): string {
    let out = "";
    for (let f = 0; f < record.length; f++) {
      const cell = record[f]!;
      if (csvCell(cell) === cell) continue;
      out += `${out === "" ? "" : "; "}${this.header[f] ?? `field ${f + 1}`}: ${cell}`;
    }
    return out;
  }

  /** A promise to await before feeding more input when the rejects file is backed up. */
  takeBackPressure(): Promise<void> | undefined {
    const p = this.backPressure;
    this.backPressure = undefined;
    return p;
  }

  async abort(): Promise<void> {
    await this.rejects?.abort();
  }

  async finish(): Promise<CsvReadResult> {
    if (this.builder === undefined) throw new CsvFileError(this.file, "empty file: no header line");
    this.options.onProgress?.(this.rowsRead, this.fileSize);
    const pool = this.builder.finish();
    if (this.rejects) {
      await this.rejects.close();
    } else if (this.errorCount > 0) {
      throw new ErrorList(this.errors, this.errorCount);
    }
    return {
      pool,
      rowsRead: this.rowsRead,
      rejected: this.rejected,
      errors: this.errors,
      errorCount: this.errorCount,
    };
  }
}
