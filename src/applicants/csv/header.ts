import { didYouMean } from "../../did-you-mean.js";
import { CsvFileError } from "../../errors.js";
import { APPLICANT_COLUMNS } from "../record.js";

/** Where each known column sits in the file's records, and which fields are extra columns. */
export interface HeaderLayout {
  /** number of fields every record must have */
  width: number;
  /** for each entry of APPLICANT_COLUMNS, its field index in a record, or -1 when the column is absent */
  fieldOf: Int32Array;
  /** names of extra (unknown, allowed) columns, in file order */
  extraNames: string[];
  /** field index of each extra column */
  extraFields: number[];
}

const KNOWN_NAMES = APPLICANT_COLUMNS.map((c) => c.name as string);

/**
 * Check a header against the applicant contract: exact names in any order, every required column
 * present, no duplicates, unknown names only when extra columns are allowed.
 */
export function resolveHeader(
  file: string,
  header: readonly string[],
  allowExtraColumns: boolean,
): HeaderLayout {
  const fieldOf = new Int32Array(APPLICANT_COLUMNS.length).fill(-1);
  const known = new Map(KNOWN_NAMES.map((name, k) => [name, k]));
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const unknown: string[] = [];
  const extraNames: string[] = [];
  const extraFields: number[] = [];
  header.forEach((name, field) => {
    if (seen.has(name)) {
      duplicates.push(name);
      return;
    }
    seen.add(name);
    const k = known.get(name);
    if (k !== undefined) {
      fieldOf[k] = field;
    } else if (allowExtraColumns) {
      extraNames.push(name);
      extraFields.push(field);
    } else {
      unknown.push(name);
    }
  });
  const problems: string[] = [];
  const missing = APPLICANT_COLUMNS.filter((c, k) => c.required && fieldOf[k] === -1).map((c) => c.name);
  if (missing.length > 0) problems.push(`missing required column${plural(missing)} ${missing.join(", ")}`);
  if (duplicates.length > 0)
    problems.push(`duplicate column${plural(duplicates)} ${duplicates.map(quote).join(", ")}`);
  if (unknown.length > 0) {
    let unexplained = false;
    const described = unknown.map((name) => {
      const near = didYouMean(name.trim(), KNOWN_NAMES, "third");
      if (near === undefined) unexplained = true;
      return near === undefined ? quote(name) : `${quote(name)} (did you mean '${near}'?)`;
    });
    // The hint only helps with columns that are not misspellings of contract columns.
    const hint = unexplained ? "; use --allow-extra-columns to carry extra columns through" : "";
    problems.push(`unknown column${plural(unknown)} ${described.join(", ")}${hint}`);
  }
  if (problems.length > 0) throw new CsvFileError(file, problems.join("; "));
  return { width: header.length, fieldOf, extraNames, extraFields };
}

function plural(list: readonly unknown[]): string {
  return list.length === 1 ? "" : "s";
}

function quote(name: string): string {
  return `'${name}'`;
}
