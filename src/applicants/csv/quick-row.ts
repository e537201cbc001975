import { SCHEME_OPENED_DAY } from "../../dates.js";
import { ACHIEVEMENTS } from "../record.js";
import { daysFromCivil, daysInMonth, digitsAt } from "./fields.js";
import type { HeaderLayout } from "./header.js";
import type { IdRegistry } from "./ids.js";
import {
  AGE,
  CellKind,
  DEFAULT_TEXT,
  DEFAULT_VALUE,
  KINDS,
  MAX,
  MIN,
  REQUIRED,
  SPOUSE_ACCOMPANYING,
  SPOUSE_DEGREE,
  YEARS_EXPERIENCE,
  YEARS_PARTS,
} from "./row.js";

// CellKind values as literals, so that the per-field branches compare against constants
const {
  Id: ID,
  Date: DATE,
  Integer: INTEGER,
  Number: NUMBER,
  Boolean: BOOLEAN,
  Sex: SEX,
  Achievement: ACHIEVEMENT,
  Key: KEY,
} = CellKind;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Converts a good row in its most common spelling straight from the line's characters, without
 * splitting it into field strings first (only ids and dictionary keys become strings). It accepts only
 * what RowChecker would accept and converts it to the same values: plain digits with an optional
 * fraction (at most 15 digits, so one division is correctly rounded, as in parseDecimal), true/false/1/0,
 * YYYY-MM-DD calendar dates, F/M/X, the achievement words, empty optional cells, within bounds and
 * passing the cross-column rules and the duplicate-id check. Anything else returns false and the row
 * goes through split + RowChecker, which then produces the usual values or error messages.
 */
export class QuickRowDecoder {
  /** APPLICANT_COLUMNS index of each field of the file */
  private readonly columnOfField: Int32Array;
  /** CellKind of each field */
  private readonly kindOfField: Uint8Array;

  constructor(
    layout: HeaderLayout,
    private readonly values: Float64Array,
    private readonly texts: string[],
    private readonly ids: IdRegistry,
  ) {
    this.columnOfField = new Int32Array(layout.width).fill(-1);
    layout.fieldOf.forEach((field, k) => {
      if (field >= 0) this.columnOfField[field] = k;
    });
    this.kindOfField = Uint8Array.from(this.columnOfField, (k) => KINDS[k]!);
  }

  /** Whether the layout has only contract columns (extra columns go the general way). */
  static applies(layout: HeaderLayout): boolean {
    return layout.extraFields.length === 0;
  }

  /** Convert text[start, end) into values/texts; false (with values/texts partly overwritten) when not quick. */
  tryRow(text: string, start: number, end: number, line: number): boolean {
    const { values, texts, columnOfField } = this;
    const kindOfField = this.kindOfField;
    // module constants read once per row rather than once per field
    const pow10 = POW10;
    const min = MIN;
    const max = MAX;
    const required = REQUIRED;
    const last = columnOfField.length - 1;
    let pos = start;
    for (let f = 0; f <= last; f++) {
      const k = columnOfField[f]!;
      const kind = kindOfField[f]!;
      // Each field is scanned once, character by character, up to its comma (indexOf per field cost more).
      let stop = pos;
      if (kind === NUMBER || kind === INTEGER) {
        let mantissa = 0;
        let digits = 0;
        let dot = -1;
        for (; stop < end; stop++) {
          const c = text.charCodeAt(stop);
          // literals rather than module constants: module bindings cost a load and a check per use here
          if (c >= 48 && c <= 57) {
            mantissa = mantissa * 10 + (c - 48);
            digits++;
          } else if (c === 44) {
            break;
          } else if (c === 46 && dot < 0) {
            dot = stop;
          } else {
            return false;
          }
        }
        if (stop !== pos) {
          // at most 15 digits: both operands exact, one correctly rounded division (as parseDecimal)
          if (digits === 0 || digits > 15) return false;
          const fractionDigits = dot < 0 ? 0 : stop - dot - 1;
          const v = fractionDigits === 0 ? mantissa : mantissa / pow10[fractionDigits]!;
          if (v < min[k]! || v > max[k]!) return false;
          if (kind === INTEGER && !Number.isInteger(v)) return false;
          values[k] = v;
        }
      } else {
        while (stop < end && text.charCodeAt(stop) !== 44) stop++;
        if (stop !== pos && !this.convert(k, kind, text, pos, stop)) return false;
      }
      if (stop === pos) {
        if (required[k] === 1) return false;
        values[k] = DEFAULT_VALUE[k]!;
        texts[k] = DEFAULT_TEXT[k]!;
      }
      // Every field but the last ends at a comma, the last at the line end.
      if ((stop === end) !== (f === last)) return false;
      pos = stop + 1;
    }
    return this.crossChecksPass() && this.ids.firstLineOf(texts[0]!, line) === undefined;
  }

  /** Convert one non-empty non-numeric cell; false when it is not in a quick spelling. */
  private convert(k: number, kind: number, text: string, start: number, stop: number): boolean {
    switch (kind) {
      case ID:
      case KEY:
        this.texts[k] = text.slice(start, stop);
        return true;
      case BOOLEAN: {
        const b = plainBoolean(text, start, stop);
        if (b < 0) return false;
        this.values[k] = b;
        return true;
      }
      case DATE: {
        const day = plainDate(text, start, stop);
        if (Number.isNaN(day) || day < SCHEME_OPENED_DAY) return false;
        this.values[k] = day;
        return true;
      }
      case SEX: {
        if (stop !== start + 1) return false;
        const c = text.charCodeAt(start);
        // SEXES is F, M, X
        const i = c === 70 ? 0 : c === 77 ? 1 : c === 88 ? 2 : -1;
        if (i < 0) return false;
        this.values[k] = i;
        return true;
      }
      case ACHIEVEMENT: {
        const i = ACHIEVEMENTS.indexOf(text.slice(start, stop) as (typeof ACHIEVEMENTS)[number]);
        if (i < 0) return false;
        this.values[k] = i;
        return true;
      }
    }
    return false;
  }

  /** RowChecker's cross-column rules, all cells having converted. */
  private crossChecksPass(): boolean {
    const values = this.values;
    const experience = values[YEARS_EXPERIENCE]!;
    for (const k of YEARS_PARTS) if (values[k]! > experience) return false;
    if (experience > values[AGE]! - 14) return false;
    return !(values[SPOUSE_DEGREE] === 1 && values[SPOUSE_ACCOMPANYING] === 0);
  }
}

/** 1 for true or 1, 0 for false or 0, -1 for anything else (other spellings go the general way). */
function plainBoolean(text: string, start: number, stop: number): number {
  const n = stop - start;
  const c = text.charCodeAt(start);
  if (n === 1) return c === 49 ? 1 : c === 48 ? 0 : -1;
  // character codes: startsWith with a position was a large share of the row time
  if (n === 4)
    return c === 116 &&
      text.charCodeAt(start + 1) === 114 &&
      text.charCodeAt(start + 2) === 117 &&
      text.charCodeAt(start + 3) === 101
      ? 1
      : -1;
  if (n === 5) {
    const isFalse =
      c === 102 &&
      text.charCodeAt(start + 1) === 97 &&
      text.charCodeAt(start + 2) === 108 &&
      text.charCodeAt(start + 3) === 115 &&
      text.charCodeAt(start + 4) === 101;
    return isFalse ? 0 : -1;
  }
  return -1;
}

/** Day number of a YYYY-MM-DD calendar date; NaN for anything else. */
function plainDate(text: string, start: number, stop: number): number {
  if (stop - start !== 10 || text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45)
    return Number.NaN;
  const y = digitsAt(text, start, 4);
  const m = digitsAt(text, start + 5, 2);
  const d = digitsAt(text, start + 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return Number.NaN;
  return daysFromCivil(y, m, d);
}
