import { type Summary, summarizeDifferences, summarizeValues } from "./stats.js";

/**
 * What one replication yields: the run's tables (rounds.csv, cohort.csv and a one-row run total) as
 * plain data, small enough to post back from a worker. Key columns identify a row (a quarter, a cohort
 * group); metric columns hold numbers (null = not applicable, e.g. no cutoff when nobody was allotted).
 */
export interface MetricTable {
  name: string;
  keyColumns: string[];
  metricColumns: string[];
  /** each row: key values, then metric values, in column order */
  rows: (string | number | null)[][];
  /**
   * metrics that are 0 for a row this replication does not have (a cohort group nobody in this
   * replication belonged to has 0 applications), rather than missing; others stay missing (null)
   */
  absentAsZero?: string[];
}

export type RunMetrics = MetricTable[];

/** Identifies a metric across replications: table, row key and column. */
export interface MetricId {
  table: string;
  key: string;
  metric: string;
}

function keyOf(table: MetricTable, row: readonly (string | number | null)[]): string {
  if (table.keyColumns.length === 0) return "all";
  return table.keyColumns.map((_, i) => String(row[i] ?? "")).join(":");
}

export interface MetricSeries extends MetricId {
  /** one entry per replication, in replication order; null = missing in that replication */
  values: (number | null)[];
}

function idString(m: MetricId): string {
  return `${m.table}\u0000${m.key}\u0000${m.metric}`;
}

/**
 * Line up the metrics of many replications: one series per metric, in the order metrics first appear
 * (replication 0's order, then any that only later replications have). Deterministic whatever order
 * the replications finished in, because the input is indexed by replication.
 */
export function collectSeries(replications: readonly RunMetrics[]): MetricSeries[] {
  const count = replications.length;
  const byId = new Map<string, MetricSeries>();
  const present = new Map<MetricSeries, Uint8Array>();
  // one entry per value of every replication (≈270 per baseline replication): walked in place, with the
  // row's key built once per row, rather than through an object per value (a 4,000-
  // replication report spent more time here than writing replications.csv)
  replications.forEach((metrics, r) => {
    for (const table of metrics) {
      const k = table.keyColumns.length;
      const columns = table.metricColumns;
      for (const row of table.rows) {
        const prefix = `${table.name}\u0000${keyOf(table, row)}\u0000`;
        for (let j = 0; j < columns.length; j++) {
          const metric = columns[j]!;
          const id = prefix + metric;
          let series = byId.get(id);
          if (!series) {
            series = {
              table: table.name,
              key: keyOf(table, row),
              metric,
              values: new Array(count).fill(null),
            };
            byId.set(id, series);
            present.set(series, new Uint8Array(count));
          }
          const v = row[k + j];
          series.values[r] = typeof v === "number" && Number.isFinite(v) ? v : null;
          present.get(series)![r] = 1;
        }
      }
    }
  });
  const zeroFilled = new Map<string, Set<string>>();
  for (const metrics of replications)
    for (const t of metrics) if (t.absentAsZero) zeroFilled.set(t.name, new Set(t.absentAsZero));
  for (const series of byId.values()) {
    if (!zeroFilled.get(series.table)?.has(series.metric)) continue;
    const seen = present.get(series)!;
    replications.forEach((metrics, r) => {
      if (!seen[r] && metrics.some((t) => t.name === series.table)) series.values[r] = 0;
    });
  }
  return [...byId.values()];
}

export interface MetricSummary extends MetricId, Summary {}

export function summarizeSeries(series: readonly MetricSeries[]): MetricSummary[] {
  return series.map((s) => ({ table: s.table, key: s.key, metric: s.metric, ...summarizeValues(s.values) }));
}

export interface MetricComparison extends MetricId {
  baseline: Summary;
  reform: Summary;
  /** paired differences reform − baseline */
  difference: Summary;
}

/**
 * Compare two sets of replications run with the same seeds: replication i of one is paired with
 * replication i of the other. Metrics present on one side only are listed with the other side empty.
 */
export function compareSeries(
  baseline: readonly MetricSeries[],
  reform: readonly MetricSeries[],
): MetricComparison[] {
  const reformById = new Map(reform.map((s) => [idString(s), s]));
  const baselineById = new Map(baseline.map((s) => [idString(s), s]));
  const baseIds = new Set(baselineById.keys());
  const ordered = [...baseline, ...reform.filter((s) => !baseIds.has(idString(s)))];
  return ordered.map((s) => {
    const id = idString(s);
    const b = baselineById.get(id);
    const r = reformById.get(id);
    const n = (b ?? r)!.values.length;
    const empty: (number | null)[] = new Array(n).fill(null);
    const bv = b?.values ?? empty;
    const rv = r?.values ?? empty;
    return {
      table: s.table,
      key: s.key,
      metric: s.metric,
      baseline: summarizeValues(bv),
      reform: summarizeValues(rv),
      difference: summarizeDifferences(bv, rv),
    };
  });
}
