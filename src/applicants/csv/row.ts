import { SCHEME_OPENED_DAY, SCHEME_OPENED_ON } from "../../dates.js";
import { ACHIEVEMENTS, APPLICANT_COLUMNS, type ApplicantField, type ColumnSpec, SEXES } from "../record.js";
import { NOT_A_CALENDAR_DATE, parseBooleanCell, parseDecimal, parseIsoDateCell } from "./fields.js";
import type { HeaderLayout } from "./header.js";

/** One thing wrong with one row; the reader turns it into a CsvRowError with file and line. */
export interface RowProblem {
  column: string;
  reason: string;
  value?: string;
}

/** How a cell is converted; `key` is free text stored through a dictionary (region, sector, profession). */
export const CellKind = {
  Id: 0,
  Date: 1,
  Integer: 2,
  Number: 3,
  Boolean: 4,
  Sex: 5,
  Achievement: 6,
  Key: 7,
} as const;
export type CellKind = (typeof CellKind)[keyof typeof CellKind];

function kindOf(spec: ColumnSpec): CellKind {
  switch (spec.type) {
    case "date":
      return CellKind.Date;
    case "integer":
      return CellKind.Integer;
    case "number":
      return CellKind.Number;
    case "boolean":
      return CellKind.Boolean;
    case "sex":
      return CellKind.Sex;
    case "achievement":
      return CellKind.Achievement;
    case "text":
      return spec.name === "id" ? CellKind.Id : CellKind.Key;
  }
}

export const COLUMN_COUNT = APPLICANT_COLUMNS.length;
export const KINDS = Uint8Array.from(APPLICANT_COLUMNS, kindOf);
const indexOf = (name: ApplicantField): number => APPLICANT_COLUMNS.findIndex((c) => c.name === name);
export const AGE = indexOf("age");
export const YEARS_EXPERIENCE = indexOf("years_experience");
export const YEARS_PARTS = (
  ["years_senior", "years_international", "years_multinational", "years_specified_industry"] as const
).map(indexOf);
export const SPOUSE_ACCOMPANYING = indexOf("spouse_accompanying");
export const SPOUSE_DEGREE = indexOf("spouse_degree");

/** Value of a column's default in the scratch representation (numbers, 0/1, enum indices). */
function defaultValue(spec: ColumnSpec): number {
  const d = spec.default;
  if (typeof d === "number") return d;
  if (typeof d === "boolean") return d ? 1 : 0;
  if (spec.type === "sex") return SEXES.indexOf(d as (typeof SEXES)[number]);
  if (spec.type === "achievement") return ACHIEVEMENTS.indexOf(d as (typeof ACHIEVEMENTS)[number]);
  return 0;
}

function boundsReason(spec: ColumnSpec): string {
  if (spec.max === undefined) return `must be at least ${spec.min}`;
  return `must be between ${spec.min} and ${spec.max}`;
}

// Flat per-column tables: the column specs have several object shapes, and reading their properties
// in the per-cell loop made those reads megamorphic.
export const MIN = Float64Array.from(APPLICANT_COLUMNS, (c) => c.min ?? Number.NEGATIVE_INFINITY);
export const MAX = Float64Array.from(APPLICANT_COLUMNS, (c) => c.max ?? Number.POSITIVE_INFINITY);
export const REQUIRED = Uint8Array.from(APPLICANT_COLUMNS, (c) => (c.required ? 1 : 0));
export const DEFAULT_VALUE = Float64Array.from(APPLICANT_COLUMNS, defaultValue);
export const DEFAULT_TEXT = APPLICANT_COLUMNS.map((c) => (typeof c.default === "string" ? c.default : ""));
const BOUNDS_REASON = APPLICANT_COLUMNS.map((c) => (c.min === undefined ? "" : boundsReason(c)));
const NAME = APPLICANT_COLUMNS.map((c) => c.name as string);

/**
 * Converts and checks the fields of one record against the applicant contract. The converted row is
 * left in `values` / `texts` (indexed like APPLICANT_COLUMNS) so that no object is built per row;
 * columns absent from the file keep their default there.
 */
export class RowChecker {
  /** numbers, day numbers, 0/1 booleans and enum indices */
  readonly values = Float64Array.from(DEFAULT_VALUE);
  /** id and dictionary keys */
  readonly texts: string[] = [...DEFAULT_TEXT];
  private readonly ok = new Uint8Array(COLUMN_COUNT).fill(1);
  /** APPLICANT_COLUMNS indices of the columns the file has */
  private readonly present: Int32Array;
  private readonly fieldOf: Int32Array;

  constructor(layout: HeaderLayout) {
    this.fieldOf = layout.fieldOf;
    this.present = Int32Array.from(APPLICANT_COLUMNS.keys()).filter((k) => layout.fieldOf[k]! >= 0);
  }

  /** Convert `record` into values/texts; append what is wrong to `problems` (nothing when the row is good). */
  check(record: readonly string[], problems: RowProblem[]): void {
    const { values, texts, fieldOf } = this;
    const ok = this.ok;
    const present = this.present;
    for (let p = 0; p < present.length; p++) {
      const k = present[p]!;
      const text = record[fieldOf[k]!]!;
      if (text.length === 0) {
        if (REQUIRED[k] === 1) {
          ok[k] = 0;
          problems.push({ column: NAME[k]!, reason: "required", value: text });
        } else {
          values[k] = DEFAULT_VALUE[k]!;
          texts[k] = DEFAULT_TEXT[k]!;
          ok[k] = 1;
        }
        continue;
      }
      const reason = this.convert(k, text);
      if (reason === undefined) {
        ok[k] = 1;
      } else {
        ok[k] = 0;
        problems.push({ column: NAME[k]!, reason, value: text });
      }
    }
    this.crossCheck(record, problems);
  }

  /** Convert one non-empty cell; returns the reason when it is bad. */
  private convert(k: number, text: string): string | undefined {
    const kind = KINDS[k];
    switch (kind) {
      case CellKind.Id:
      case CellKind.Key:
        this.texts[k] = text;
        return undefined;
      case CellKind.Integer:
      case CellKind.Number: {
        const v = parseDecimal(text);
        if (Number.isNaN(v)) return "not a number";
        // 1e309 reads as Infinity, which passes any minimum (an income "above" every threshold)
        if (!Number.isFinite(v)) return "not a finite number (too large to hold)";
        if (kind === CellKind.Integer && !Number.isInteger(v)) return "not a whole number";
        if (v < MIN[k]! || v > MAX[k]!) return BOUNDS_REASON[k];
        this.values[k] = v;
        return undefined;
      }
      case CellKind.Boolean: {
        const b = parseBooleanCell(text);
        if (b < 0) return "not a boolean (use true/false, 1/0 or yes/no)";
        this.values[k] = b;
        return undefined;
      }
      case CellKind.Date: {
        const day = parseIsoDateCell(text);
        if (Number.isNaN(day)) return "not a date in the form YYYY-MM-DD";
        if (day === NOT_A_CALENDAR_DATE) return "no such calendar date";
        // An application before the scheme opened has no rule set: reject the row, do not guess.
        if (day < SCHEME_OPENED_DAY)
          return `before the scheme opened on ${SCHEME_OPENED_ON}: no rule set was in force`;
        this.values[k] = day;
        return undefined;
      }
      case CellKind.Sex: {
        const i = SEXES.indexOf(text as (typeof SEXES)[number]);
        if (i < 0) return "must be F, M or X";
        this.values[k] = i;
        return undefined;
      }
      case CellKind.Achievement: {
        const i = ACHIEVEMENTS.indexOf(text as (typeof ACHIEVEMENTS)[number]);
        if (i < 0) return "must be none, award or recognition";
        this.values[k] = i;
        return undefined;
      }
    }
    return undefined;
  }

  /** Rules across columns, checked only where the columns involved converted cleanly. */
  private crossCheck(record: readonly string[], problems: RowProblem[]): void {
    const values = this.values;
    const ok = this.ok;
    const experience = values[YEARS_EXPERIENCE]!;
    if (ok[YEARS_EXPERIENCE]) {
      for (const k of YEARS_PARTS) {
        if (ok[k] && values[k]! > experience) {
          problems.push({
            column: APPLICANT_COLUMNS[k]!.name,
            reason: `more than years_experience, which is ${this.cell(record, YEARS_EXPERIENCE)}`,
            value: this.cell(record, k),
          });
        }
      }
      if (ok[AGE] && experience > values[AGE]! - 14) {
        problems.push({
          column: "years_experience",
          reason: `more than age minus 14, which is ${values[AGE]! - 14}`,
          value: this.cell(record, YEARS_EXPERIENCE),
        });
      }
    }
    if (
      ok[SPOUSE_DEGREE] &&
      ok[SPOUSE_ACCOMPANYING] &&
      values[SPOUSE_DEGREE] === 1 &&
      values[SPOUSE_ACCOMPANYING] === 0
    ) {
      problems.push({
        column: "spouse_degree",
        reason: "true while spouse_accompanying is false",
        value: this.cell(record, SPOUSE_DEGREE),
      });
    }
  }

  /** The cell as written in the file, or the default when the column is absent or the cell empty. */
  private cell(record: readonly string[], k: number): string {
    const f = this.fieldOf[k]!;
    const text = f >= 0 ? record[f]! : "";
    return text === "" ? String(APPLICANT_COLUMNS[k]!.default ?? "") : text;
  }
}
