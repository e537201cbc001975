import type { PublishedFigure } from "./published.js";

/** validation.csv: one row per published figure a run covers. */
export const VALIDATION_COLUMNS = [
  "figure",
  "period",
  "metric",
  "published",
  "simulated",
  "ci_low",
  "ci_high",
  "gap_pct",
  "confidence",
  "source",
] as const;

/** Figures within this many percent of the published value count as reproduced (the project's target). */
export const TARGET_GAP_PCT = 15;

export interface ValidationRow {
  figure: string;
  period: string;
  /** the metric, with its group for a share, e.g. "allotted_share[region=mainland]" */
  metric: string;
  published: number;
  simulated: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** 100 × (simulated − published) / published */
  gapPct: number | null;
  confidence: string;
  source: string;
  note?: string;
}

/** A metric summarised over replications (the experiments' MetricSummary, structurally). */
export interface SummarisedMetric {
  table: string;
  key: string;
  metric: string;
  mean: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/**
 * Each figure the replications produced a value for (the `figures` table of the model), in the order
 * of the data files.
 */
export function validationRows(
  figures: readonly PublishedFigure[],
  summaries: readonly SummarisedMetric[],
): ValidationRow[] {
  const byId = new Map(
    summaries.filter((s) => s.table === "figures" && s.metric === "simulated").map((s) => [s.key, s]),
  );
  const rows: ValidationRow[] = [];
  for (const f of figures) {
    const s = byId.get(f.id);
    if (!s) continue;
    const where = f.where
      ? Object.entries(f.where)
          .map(([k, v]) => `${k}=${v}`)
          .join(",")
      : "";
    rows.push({
      figure: f.id,
      period: `${f.period.from}..${f.period.to}`,
      metric: where ? `${f.metric}[${where}]` : f.metric,
      published: f.value,
      simulated: s.mean,
      ciLow: s.ciLow,
      ciHigh: s.ciHigh,
      gapPct: s.mean === null || f.value === 0 ? null : (100 * (s.mean - f.value)) / f.value,
      confidence: f.confidence,
      source: f.source,
      ...(f.note ? { note: f.note } : {}),
    });
  }
  return rows;
}

const round = (v: number | null, digits: number) =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

/** Digits kept in validation.csv: shares and months need decimals, counts do not. */
function digitsFor(row: ValidationRow): number {
  return Math.abs(row.published) < 20 ? 4 : 1;
}

export function validationCsvRows(rows: readonly ValidationRow[]): (string | number | null)[][] {
  return rows.map((r) => {
    const d = digitsFor(r);
    return [
      r.figure,
      r.period,
      r.metric,
      r.published,
      round(r.simulated, d),
      round(r.ciLow, d),
      round(r.ciHigh, d),
      round(r.gapPct, 1),
      r.confidence,
      r.source,
    ];
  });
}

function show(v: number | null, digits: number): string {
  if (v === null) return "–";
  return digits > 1 ? v.toFixed(digits === 4 ? 3 : 1) : Math.round(v).toLocaleString("en-US");
}

/** The table `qmas-sim validate` prints: readable in an 100-column terminal. */
export function validationText(rows: readonly ValidationRow[]): string[] {
  const header = ["figure", "period", "published", "simulated (95 % CI)", "gap", "conf."];
  const body = rows.map((r) => {
    const d = digitsFor(r);
    const ci = r.ciLow === null || r.ciHigh === null ? "" : ` (${show(r.ciLow, d)}–${show(r.ciHigh, d)})`;
    const gap = r.gapPct === null ? "–" : `${r.gapPct >= 0 ? "+" : ""}${r.gapPct.toFixed(0)} %`;
    const mark = r.gapPct !== null && Math.abs(r.gapPct) <= TARGET_GAP_PCT ? "✓" : "✗";
    return [
      r.figure,
      r.period,
      show(r.published, d),
      `${show(r.simulated, d)}${ci}`,
      `${gap} ${mark}`,
      r.confidence,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const within = rows.filter((r) => r.gapPct !== null && Math.abs(r.gapPct) <= TARGET_GAP_PCT).length;
  return [
    line(header),
    ...body.map(line),
    `${within} of ${rows.length} published figures within ±${TARGET_GAP_PCT} % (✓); gap = (simulated − published) / published`,
  ];
}
