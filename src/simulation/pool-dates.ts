import type { ApplicantPool } from "../applicants/pool.js";
import { idOf } from "../applicants/pool.js";
import { formatIsoDay, formatQuarter, parseIsoDay, quarterOfDay, quarterStartDay } from "../dates.js";
import { CsvFileError } from "../errors.js";
import { LIMITS } from "../limits.js";

/**
 * Dates of a CSV pool against the run: rows dated before a given period join its first quarter as a
 * backlog and rows after it stay pending (src/simulation/timeline.ts), which changes the results, so
 * each is warned about with counts and examples; without a period the run covers the pool's dates,
 * so a few rows far from the rest (a typo, 2099 for 2019) would stretch it over decades: warned too,
 * and refused beyond LIMITS.quarters.
 */

/** A gap without applications longer than this (in quarters) marks rows far from the rest. */
const STRETCH_GAP_QUARTERS = 4;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function poolDateWarnings(
  file: string,
  pool: ApplicantPool,
  period: { from: string; quarters: number } | null,
): string[] {
  const days = pool.columns.applied_on;
  if (days.length === 0) return [];
  if (period) {
    const firstQuarter = quarterOfDay(parseIsoDay(period.from));
    const start = quarterStartDay(firstQuarter);
    const end = quarterStartDay(firstQuarter + period.quarters) - 1;
    let before = 0;
    let after = 0;
    let earliest = Number.POSITIVE_INFINITY;
    let latest = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < days.length; i++) {
      const d = days[i]!;
      if (d < start) {
        before++;
        earliest = Math.min(earliest, d);
      } else if (d > end) {
        after++;
        latest = Math.max(latest, d);
      }
    }
    const lines: string[] = [];
    if (before > 0)
      lines.push(
        `${file}: warning: ${plural(before, "row")} dated before the period starts (${formatIsoDay(start)}; earliest ${formatIsoDay(earliest)}) join its first quarter as a backlog`,
      );
    if (after > 0)
      lines.push(
        `${file}: warning: ${plural(after, "row")} dated after the period ends (${formatIsoDay(end)}; latest ${formatIsoDay(latest)}) are never assessed and stay pending`,
      );
    return lines;
  }
  // no period: the run covers every quarter from the earliest to the latest application
  const counts = new Map<number, number>();
  for (let i = 0; i < days.length; i++) {
    const q = quarterOfDay(days[i]!);
    counts.set(q, (counts.get(q) ?? 0) + 1);
  }
  const quarters = [...counts.keys()].sort((a, b) => a - b);
  const first = quarters[0]!;
  const last = quarters[quarters.length - 1]!;
  const span = last - first + 1;
  // the largest block of quarters without long gaps is the pool; the rest stretch the run
  let bestStart = 0;
  let bestRows = 0;
  let blockStart = 0;
  let blockRows = 0;
  for (let k = 0; k < quarters.length; k++) {
    if (k > 0 && quarters[k]! - quarters[k - 1]! > STRETCH_GAP_QUARTERS + 1) {
      blockStart = k;
      blockRows = 0;
    }
    blockRows += counts.get(quarters[k]!)!;
    if (blockRows > bestRows) {
      bestRows = blockRows;
      bestStart = blockStart;
    }
  }
  let bestEnd = bestStart;
  while (
    bestEnd + 1 < quarters.length &&
    quarters[bestEnd + 1]! - quarters[bestEnd]! <= STRETCH_GAP_QUARTERS + 1
  )
    bestEnd++;
  const lo = quarters[bestStart]!;
  const hi = quarters[bestEnd]!;
  const outliers: number[] = [];
  let outlierRows = 0;
  for (let i = 0; i < days.length; i++) {
    const q = quarterOfDay(days[i]!);
    if (q < lo || q > hi) {
      outlierRows++;
      if (outliers.length < 3) outliers.push(i);
    }
  }
  const examples = outliers.map((i) => `${idOf(pool, i)} on ${formatIsoDay(days[i]!)}`).join(", ");
  if (span > LIMITS.quarters)
    throw new CsvFileError(
      file,
      `its applications span ${span} quarters (${formatQuarter(first)}–${formatQuarter(last)}), above the limit of ${LIMITS.quarters} for a run${outlierRows > 0 ? `, stretched by ${plural(outlierRows, "row")} far from the rest (${examples})` : ""}; fix those dates or give the scenario a period`,
    );
  if (outlierRows === 0) return [];
  return [
    `${file}: warning: ${plural(outlierRows, "row")} dated more than a year away from the rest of the pool (${examples}) stretch the run to ${span} quarters (${formatQuarter(first)}–${formatQuarter(last)}; the rest lie in ${formatQuarter(lo)}–${formatQuarter(hi)}); fix those dates or give the scenario a period`,
  ];
}
