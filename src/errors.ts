/**
 * Typed errors. Each carries the context a user needs to find the problem (file, row or path, field,
 * value) and formats itself as one line: `file:row: field: message (value)`.
 */
export abstract class QmasError extends Error {
  abstract readonly kind: string;
  /** Exit code the CLI uses for this kind of error. */
  readonly exitCode: number = 2;
  /** One line, no trailing newline, for stderr. */
  abstract format(): string;
}

function quoteValue(value: unknown): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return ` (${text === "" ? "empty" : JSON.stringify(text).slice(1, -1)})`;
}

/** A bad row in an applicant CSV. `row` is the 1-based line number of the record in the file (header = 1). */
export class CsvRowError extends QmasError {
  override readonly name = "CsvRowError";
  readonly kind = "csv-row";
  constructor(
    readonly file: string,
    readonly row: number,
    readonly column: string,
    readonly reason: string,
    readonly value?: string,
  ) {
    super(`${file}:${row}: ${column}: ${reason}${quoteValue(value)}`);
  }
  format(): string {
    return this.message;
  }
}

/** A whole CSV file is unusable (missing/unknown header, not found, ...). */
export class CsvFileError extends QmasError {
  override readonly name = "CsvFileError";
  readonly kind = "csv-file";
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
  format(): string {
    return this.message;
  }
}

/** A data file (rule set, talent list, distribution spec, scenario) failed validation. `path` is a dotted key path. */
abstract class DataFileError extends QmasError {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly reason: string,
    readonly suggestion?: string,
  ) {
    super(
      `${file}: ${path === "" ? "(top level)" : path}: ${reason}${suggestion ? ` (did you mean '${suggestion}'?)` : ""}`,
    );
  }
  format(): string {
    return this.message;
  }
}

export class RuleSetError extends DataFileError {
  override readonly name = "RuleSetError";
  readonly kind = "rule-set";
}

export class SpecError extends DataFileError {
  override readonly name = "SpecError";
  readonly kind = "distribution-spec";
}

export class ScenarioError extends DataFileError {
  override readonly name = "ScenarioError";
  readonly kind = "scenario";
}

/** An output file that could not be written; the reason in words, with the system's code. */
export class OutputError extends QmasError {
  override readonly name = "OutputError";
  readonly kind = "output";
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: cannot write: ${reason}`);
  }
  format(): string {
    return this.message;
  }
}

const OUTPUT_REASONS: Record<string, string> = {
  ENOTDIR: "part of its folder path is a file, not a folder",
  EEXIST: "part of its folder path is a file, not a folder",
  EISDIR: "a folder of that name is in the way",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
};

/**
 * A system error met while writing `file`, as an OutputError naming that file (not, say, the input
 * being read meanwhile); typed errors, and anything that is not a system error (a bug), pass through.
 */
export function outputError(file: string, err: unknown): unknown {
  if (err instanceof QmasError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) return err;
  return new OutputError(file, `${OUTPUT_REASONS[code] ?? "system error"} (${code})`);
}

/**
 * A library call was given something it cannot use: an unknown id, a file that is not there, an option
 * out of range. `option` names the option at fault as the library calls it (e.g. `from`, `vary`), so a
 * front end can word the message its own way: the CLI names its flag.
 */
export class InputError extends QmasError {
  override readonly name = "InputError";
  readonly kind = "input";
  constructor(
    readonly reason: string,
    readonly option?: string,
  ) {
    super(option === undefined ? reason : `${option}${reason.startsWith(":") ? "" : " "}${reason}`);
  }
  format(): string {
    return this.message;
  }
}

/** Several errors found in one pass (e.g. many bad CSV rows); the CLI prints the first few and a count. */
export class ErrorList extends QmasError {
  override readonly name = "ErrorList";
  readonly kind = "many";
  constructor(
    readonly errors: QmasError[],
    readonly total: number = errors.length,
  ) {
    super(`${total} error(s); first: ${errors[0]?.format() ?? "none"}`);
  }
  format(): string {
    const lines = this.errors.map((e) => e.format());
    if (this.total > this.errors.length)
      lines.push(`... and ${this.total - this.errors.length} more error(s) (${this.total} in all)`);
    return lines.join("\n");
  }
}

/** An error as a worker thread posts it to the main thread: its one-line text and its exit code. */
export interface PostedError {
  message: string;
  exitCode: number;
}

/** What a worker posts for `err`: a QmasError keeps its line and exit code; anything else is internal (70). */
export function postedError(err: unknown): PostedError {
  if (err instanceof QmasError) return { message: err.format(), exitCode: err.exitCode };
  return { message: err instanceof Error ? (err.stack ?? err.message) : String(err), exitCode: 70 };
}

/** A failure on a worker thread, rethrown in the main thread with the worker's message and exit code. */
export class WorkerError extends QmasError {
  override readonly name = "WorkerError";
  readonly kind = "worker";
  constructor(
    message: string,
    override readonly exitCode = 70,
  ) {
    super(message);
  }
  format(): string {
    return this.message;
  }
}
