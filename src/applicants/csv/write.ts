import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { tempPathFor } from "../../atomic.js";
import { formatPlainNumber } from "../../csv-writer.js";
import { formatIsoDay } from "../../dates.js";
import { outputError } from "../../errors.js";
import { type ApplicantPool, idOf, type PoolColumns } from "../pool.js";
import { ACHIEVEMENTS, APPLICANT_COLUMNS, SEXES } from "../record.js";

type Column = PoolColumns[keyof PoolColumns];

/** Small integers are printed from a table: the integer columns are bytes. */
const SMALL_INTEGERS = Array.from({ length: 256 }, (_, i) => String(i));

/** Turns the value at row i of one column into its CSV text. */
type CellFormatter = (i: number) => string;

function formattersFor(pool: ApplicantPool): CellFormatter[] {
  const c = pool.columns;
  const d = pool.dictionaries;
  const dayText = new Map<number, string>();
  return APPLICANT_COLUMNS.map((spec): CellFormatter => {
    if (spec.name === "id") return (i) => idOf(pool, i);
    const column: Column = c[spec.name];
    switch (spec.type) {
      case "date":
        return (i) => {
          const day = column[i]!;
          let text = dayText.get(day);
          if (text === undefined) {
            text = formatIsoDay(day);
            dayText.set(day, text);
          }
          return text;
        };
      case "integer":
        return (i) => {
          const v = column[i]!;
          return v < 256 ? SMALL_INTEGERS[v]! : formatPlainNumber(v);
        };
      case "number":
        return (i) => formatPlainNumber(column[i]!);
      case "boolean":
        return (i) => (column[i] === 1 ? "true" : "false");
      case "sex":
        return (i) => SEXES[column[i]!] ?? "X";
      case "achievement":
        return (i) => ACHIEVEMENTS[column[i]!] ?? "none";
      case "text": {
        const dictionary =
          spec.name === "region" ? d.region : spec.name === "sector" ? d.sector : d.profession;
        return (i) => dictionary[column[i]!] ?? "";
      }
      default:
        return (i) => String(column[i]);
    }
  });
}

/**
 * Write a pool as an applicant CSV: every APPLICANT_COLUMNS column in order, then any extra columns
 * carried through. Numbers are plain decimals that read back to the same value, booleans true/false.
 * Cells are written as they are (no formula neutralising): this file is data meant to be read back.
 * A path is written atomically (temporary file, then rename); a stream is written to and left open.
 */
export async function writeApplicantCsv(
  pool: ApplicantPool,
  file: string | NodeJS.WritableStream,
): Promise<void> {
  const toPath = typeof file === "string";
  const tmp = toPath ? tempPathFor(file) : undefined;
  const fileStream = tmp !== undefined ? createWriteStream(tmp) : undefined;
  const out: NodeJS.WritableStream = fileStream ?? (file as NodeJS.WritableStream);
  const stringifier = stringify({ record_delimiter: "\n" });
  let failure: unknown;
  const remember = (err: unknown) => {
    failure ??= err;
  };
  stringifier.on("error", remember);
  fileStream?.on("error", remember);
  stringifier.pipe(out, { end: toPath });
  try {
    await writeRows(pool, stringifier);
    stringifier.end();
    if (fileStream) await finished(fileStream);
    else await finished(stringifier);
    if (failure) throw failure;
    if (tmp !== undefined) await rename(tmp, file as string);
  } catch (err) {
    if (tmp !== undefined) {
      fileStream?.destroy();
      await rm(tmp, { force: true });
      throw outputError(file as string, err);
    }
    throw err;
  }
}

async function writeRows(pool: ApplicantPool, stringifier: ReturnType<typeof stringify>): Promise<void> {
  const formatters = formattersFor(pool);
  const extra = pool.extra;
  const extraCount = extra?.names.length ?? 0;
  const width = formatters.length + extraCount;
  stringifier.write([...APPLICANT_COLUMNS.map((spec) => spec.name), ...(extra?.names ?? [])]);
  for (let i = 0; i < pool.size; i++) {
    const row = new Array<string>(width);
    for (let k = 0; k < formatters.length; k++) row[k] = formatters[k]!(i);
    for (let e = 0; e < extraCount; e++) row[formatters.length + e] = extra!.values[e]![i] ?? "";
    if (!stringifier.write(row)) await once(stringifier, "drain");
  }
}
