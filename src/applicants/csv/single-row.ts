import { applicantAt } from "../pool.js";
import type { Applicant } from "../record.js";
import { resolveHeader } from "./header.js";
import { PoolBuilder } from "./pool-builder.js";
import { RowChecker, type RowProblem } from "./row.js";

export interface ParsedRow {
  /** the applicant when the row is valid */
  applicant?: Applicant;
  /** everything wrong with the row (empty when valid) */
  problems: RowProblem[];
}

/**
 * Validate one row given as column name → cell text, with exactly the rules the CSV reader applies
 * (except id uniqueness, which needs a whole file). Unknown or missing required columns throw a
 * CsvFileError naming `source`.
 */
export function parseApplicantRow(fields: Readonly<Record<string, string>>, source = "(row)"): ParsedRow {
  const names = Object.keys(fields);
  const layout = resolveHeader(source, names, false);
  const checker = new RowChecker(layout);
  const problems: RowProblem[] = [];
  checker.check(
    names.map((n) => fields[n]!),
    problems,
  );
  if (problems.length > 0) return { problems };
  const builder = new PoolBuilder(source, [], 1);
  builder.append(checker.values, checker.texts);
  return { applicant: applicantAt(builder.finish(), 0), problems };
}
