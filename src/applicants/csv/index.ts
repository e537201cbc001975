/** Applicant CSV: reading with row-by-row validation, and writing. The helpers behind it are internal. */

export {
  type CsvReadResult,
  type CsvReadTuning,
  type ReadApplicantCsvOptions,
  readApplicantCsv,
  readApplicantCsvWith,
} from "./read.js";
export type { RowProblem } from "./row.js";
export { type ParsedRow, parseApplicantRow } from "./single-row.js";
export { writeApplicantCsv } from "./write.js";
