/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, UTC) without Date objects: the pipeline
 * adds months and years and finds quarters several times per principal, and a Date per step made that
 * the largest cost of a replication. Civil-date conversions after Howard Hinnant's "chrono-compatible
 * low-level date algorithms"; results equal Date.UTC's, including its overflow (31 Jan + 1 month = 3 Mar
 * in a common year).
 */

/** Day number of year y, month m (1–12), day d (d may exceed the month: it runs on, as Date.UTC does). */
export function dayOf(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year * 12 + (month − 1) of a day number, and its day of the month in the low bits: (ym << 5) | d. */
export function packedCivil(day: number): number {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return ((y * 12 + m - 1) << 5) | d;
}

/** The same day of the month `months` (whole) calendar months later (overflowing as Date.UTC does). */
export function addMonths(day: number, months: number): number {
  return monthsAfter(packedCivil(day), months);
}

/** addMonths from a day already converted by packedCivil (a path adds several spans to one arrival). */
export function monthsAfter(packed: number, months: number): number {
  const ym = (packed >> 5) + months;
  const y = Math.floor(ym / 12);
  return dayOf(y, ym - y * 12 + 1, packed & 31);
}

/** Quarter index (year * 4 + 0..3) of a day number, as dates.quarterOfDay. */
export function quarterOf(day: number): number {
  const ym = packedCivil(day) >> 5;
  return Math.floor(ym / 3);
}
