/**
 * Dates are ISO `YYYY-MM-DD` strings in files and day numbers (days since 1970-01-01, UTC) or quarter
 * indices (year * 4 + quarter - 1) inside the engine.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Day number of an ISO date, or NaN when the text is not a real calendar date. */
export function parseIsoDay(text: string): number {
  const m = ISO.exec(text);
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return Number.NaN;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return Number.NaN;
  return ms / MS_PER_DAY;
}

export function formatIsoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Quarter index of a day number: year * 4 + (0..3). */
export function quarterOfDay(day: number): number {
  const d = new Date(day * MS_PER_DAY);
  return d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3);
}

/** First day (day number) of a quarter index. */
export function quarterStartDay(quarter: number): number {
  const year = Math.floor(quarter / 4);
  const q = quarter - year * 4;
  return Date.UTC(year, q * 3, 1) / MS_PER_DAY;
}

/** e.g. "2019Q3" */
export function formatQuarter(quarter: number): string {
  const year = Math.floor(quarter / 4);
  return `${year}Q${quarter - year * 4 + 1}`;
}

export function todayIsoDay(): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) / MS_PER_DAY;
}

/** 2006-06-28, the day QMAS opened: no rule set is in force before it (docs/rules.md). */
export const SCHEME_OPENED_ON = "2006-06-28";
export const SCHEME_OPENED_DAY = parseIsoDay(SCHEME_OPENED_ON);
