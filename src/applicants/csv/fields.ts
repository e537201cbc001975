/**
 * Converters from CSV cell text to values, written for the hot path of reading million-row files:
 * no regular expression and no allocation for the common shapes, a strict fallback for the rest.
 */

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A decimal number (optional sign, digits, optional fraction, optional exponent; no spaces, no
 * `Infinity`, no hex), or NaN when the text is not one. Returns exactly what `Number(text)` would.
 */
export function parseDecimal(text: string): number {
  const n = text.length;
  if (n === 0) return Number.NaN;
  let i = 0;
  let negative = false;
  let c = text.charCodeAt(0);
  if (c === 45 || c === 43) {
    negative = c === 45;
    i = 1;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let seenDot = false;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (seenDot) fractionDigits++;
    } else if (c === 46 && !seenDot) {
      seenDot = true;
    } else {
      return parseDecimalSlow(text);
    }
  }
  if (digits === 0) return Number.NaN;
  // Clinger's fast path: with at most 15 significant digits both operands are exact doubles, so one
  // correctly rounded division gives the same double as a full decimal conversion.
  if (digits > 15) return parseDecimalSlow(text);
  const value = fractionDigits === 0 ? mantissa : mantissa / POW10[fractionDigits]!;
  return negative ? -value : value;
}

function parseDecimalSlow(text: string): number {
  return DECIMAL.test(text) ? Number(text) : Number.NaN;
}

/** 1 for true/1/yes, 0 for false/0/no (any case), -1 for anything else. */
export function parseBooleanCell(text: string): number {
  switch (text) {
    case "true":
    case "1":
    case "yes":
      return 1;
    case "false":
    case "0":
    case "no":
      return 0;
  }
  if (text.length > 5) return -1;
  switch (text.toLowerCase()) {
    case "true":
    case "yes":
      return 1;
    case "false":
    case "no":
      return 0;
  }
  return -1;
}

/** Returned by parseIsoDateCell when the text has the YYYY-MM-DD shape but is no calendar date. */
export const NOT_A_CALENDAR_DATE = Number.POSITIVE_INFINITY;

/**
 * Day number (days since 1970-01-01 UTC) of `YYYY-MM-DD`, NaN when the text does not have that shape,
 * NOT_A_CALENDAR_DATE when it has the shape but the day does not exist (2023-02-29, 2023-13-01).
 */
export function parseIsoDateCell(text: string): number {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  const y = digitsAt(text, 0, 4);
  const m = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  if (y < 0 || m < 0 || d < 0) return Number.NaN;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NOT_A_CALENDAR_DATE;
  return daysFromCivil(y, m, d);
}

/** The `count` decimal digits at `start` as a number, or -1 if any is not a digit. */
export function digitsAt(text: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Proleptic Gregorian day number without a Date object (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
