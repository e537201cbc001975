import type { TopLevelSpec } from "vega-lite";
import type {
  CohortComparison,
  CompareMetric,
  CompareSeriesPoint,
  HistogramBin,
  QuarterRow,
  ResidenceReport,
  ScoreHistogram,
  SweepAxis,
  SweepCell,
  ValidationModel,
  WaitHistogram,
} from "./models.js";

/**
 * Vega-Lite specs for the report's charts. Every builder takes already-aggregated data (bins, one row
 * per quarter, one row per category): charts never see one value per applicant.
 */

const WIDTH = 640;

/** Colours people read without a legend lookup: green = got in, grey = did not pass. */
const OUTCOME_COLOURS: Record<string, string> = {
  allotted: "#1a9850",
  "passed, not allotted": "#74add1",
  "not selected": "#74add1",
  "below pass mark": "#bababa",
  "refused (prerequisites)": "#f4a582",
  withdrawn: "#8073ac",
  pending: "#c2a5cf",
  "passed, still waiting": "#c2a5cf",
};
const FALLBACK_COLOURS = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
];

const PASS_MARK_COLOUR = "#b2182b";
const CUTOFF_COLOUR = "#222222";
const APPLICANTS_COLOUR = "#9e9e9e";
const ALLOTTED_COLOUR = "#1a9850";
const REFORM_COLOUR = "#d95f02";
const BASELINE_COLOUR = "#1b9e77";

/** Stack groups that have applications, in the declared order, then any undeclared ones. */
export function groupOrder(bins: HistogramBin[], declared?: string[]): string[] {
  const present = new Set(bins.filter((b) => b.count > 0).map((b) => b.group ?? "all"));
  const seen = (declared ?? []).filter((g) => present.has(g));
  for (const b of bins) {
    const g = b.group ?? "all";
    if (present.has(g) && !seen.includes(g)) seen.push(g);
  }
  return seen;
}

function coloursFor(groups: string[]): string[] {
  let next = 0;
  return groups.map((g) => OUTCOME_COLOURS[g] ?? FALLBACK_COLOURS[next++ % FALLBACK_COLOURS.length]!);
}

/**
 * Stacked histogram bars as rectangles with their stack computed here: the bins carry an explicit
 * range [start, end), which Vega-Lite's bar mark would draw as thin ranged bars instead of stacking.
 */
function histogramBars(
  bins: HistogramBin[],
  binWidth: number,
  groups: string[],
  xTitle: string,
  legendTitle: string,
) {
  const sorted = [...bins].sort(
    (a, b) => a.start - b.start || groups.indexOf(a.group ?? "all") - groups.indexOf(b.group ?? "all"),
  );
  const stackTop = new Map<number, number>();
  const values = sorted.map((b) => {
    const group = b.group ?? "all";
    const y0 = stackTop.get(b.start) ?? 0;
    stackTop.set(b.start, y0 + b.count);
    return { start: b.start, end: b.start + binWidth, count: b.count, y0, y1: y0 + b.count, group };
  });
  return {
    data: { values },
    mark: { type: "rect" as const, stroke: "#ffffff", strokeWidth: 0.5 },
    encoding: {
      x: { field: "start", type: "quantitative" as const, title: xTitle },
      x2: { field: "end" },
      y: { field: "y1", type: "quantitative" as const, title: "Applications" },
      y2: { field: "y0" },
      color: {
        field: "group",
        type: "nominal" as const,
        title: legendTitle,
        sort: groups,
        scale: { domain: groups, range: coloursFor(groups) },
        legend: groups.length > 1 ? { labelLimit: 260 } : null,
      },
    },
  };
}

/** Distinct cutoff scores with how many exercises had each, lowest first. */
export function distinctCutoffs(cutoffs: { score: number | null }[]): { score: number; exercises: number }[] {
  const counts = new Map<number, number>();
  for (const c of cutoffs) if (c.score !== null) counts.set(c.score, (counts.get(c.score) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([score, exercises]) => ({ score, exercises }));
}

export function scoreHistogramSpec(h: ScoreHistogram): TopLevelSpec {
  const groups = groupOrder(h.bins, h.groups);
  const lines: { score: number; kind: string }[] = [];
  if (h.passMark !== null) lines.push({ score: h.passMark, kind: "pass mark" });
  for (const c of distinctCutoffs(h.cutoffs)) lines.push({ score: c.score, kind: "exercise cutoff" });
  const kinds = [...new Set(lines.map((l) => l.kind))];
  // the cutoff label sits one line below the pass-mark label: the two are often a few points apart
  const labels: { score: number; text: string; colour: string; line: number }[] = [];
  if (h.passMark !== null)
    labels.push({ score: h.passMark, text: `pass mark ${h.passMark}`, colour: PASS_MARK_COLOUR, line: 0 });
  const cut = distinctCutoffs(h.cutoffs);
  if (cut.length > 0) {
    const lo = cut[0]!.score;
    const hi = cut[cut.length - 1]!.score;
    labels.push({
      score: hi,
      text: lo === hi ? `cutoff ${lo}` : `cutoffs ${lo}–${hi}`,
      colour: CUTOFF_COLOUR,
      line: 1,
    });
  }
  const layer: unknown[] = [histogramBars(h.bins, h.binWidth, groups, `Score (${h.unit})`, "Outcome")];
  if (lines.length > 0) {
    layer.push({
      data: { values: lines },
      mark: { type: "rule", strokeWidth: 2 },
      encoding: {
        x: { field: "score", type: "quantitative" },
        stroke: {
          field: "kind",
          type: "nominal",
          title: "Lines",
          scale: {
            domain: kinds,
            range: kinds.map((k) => (k === "pass mark" ? PASS_MARK_COLOUR : CUTOFF_COLOUR)),
          },
        },
        strokeDash: {
          field: "kind",
          type: "nominal",
          title: "Lines",
          scale: { domain: kinds, range: kinds.map((k) => (k === "pass mark" ? [1, 0] : [5, 3])) },
        },
      },
    });
    for (const line of [0, 1]) {
      const values = labels.filter((l) => l.line === line);
      if (values.length === 0) continue;
      layer.push({
        data: { values },
        mark: { type: "text", align: "left", baseline: "top", dx: 4, dy: 2 + 15 * line, fontWeight: 600 },
        encoding: {
          x: { field: "score", type: "quantitative" },
          y: { value: 0 },
          text: { field: "text" },
          color: { field: "colour", type: "nominal", scale: null },
        },
      });
    }
  }
  return {
    width: WIDTH,
    height: 260,
    title: {
      text: "Scores of assessed applications",
      subtitle: "stacked by outcome; lines: pass mark and exercise cutoffs",
    },
    layer,
    resolve: { scale: { color: "independent" } },
  } as TopLevelSpec;
}

export function waitHistogramSpec(w: WaitHistogram): TopLevelSpec {
  const groups = groupOrder(w.bins, w.groups);
  return {
    width: WIDTH,
    height: 200,
    title: { text: "Wait from application to decision", subtitle: `days, in bins of ${w.binWidth}` },
    layer: [histogramBars(w.bins, w.binWidth, groups, "Wait (days)", "Outcome")],
  } as TopLevelSpec;
}

function quarterAxis(quarters: string[]) {
  return {
    field: "quarter",
    type: "ordinal" as const,
    title: "Quarter",
    sort: quarters,
    axis: { labelAngle: quarters.length > 12 ? -60 : 0, labelOverlap: true },
  };
}

/** A line per quarter with its 95 % CI band when the rows have one. */
function quarterLineSpec(
  rows: QuarterRow[],
  pick: (r: QuarterRow) => { value: number | null; ci?: { lo: number; hi: number } },
  title: string,
  subtitle: string,
  yTitle: string,
  colour: string,
  extra: unknown[] = [],
  zero = false,
): TopLevelSpec {
  const quarters = rows.map((r) => r.quarter);
  const values = rows.map((r) => {
    const p = pick(r);
    return { quarter: r.quarter, value: p.value, lo: p.ci?.lo ?? null, hi: p.ci?.hi ?? null };
  });
  const hasCi = values.some((v) => v.lo !== null);
  // counts start at zero, with whole-number ticks even when every value is 0
  const allZero = values.every((v) => (v.value ?? 0) === 0 && (v.hi ?? 0) === 0);
  const yScale = zero ? (allZero ? { domain: [0, 1] } : { zero: true }) : levelScale(values);
  const yAxis = zero ? { format: ",d", tickMinStep: 1 } : { format: ",.2~f" };
  const layer: unknown[] = [];
  if (hasCi) {
    layer.push({
      mark: { type: "area", opacity: 0.22, color: colour },
      encoding: {
        x: quarterAxis(quarters),
        y: { field: "lo", type: "quantitative", title: yTitle, scale: yScale, axis: yAxis },
        y2: { field: "hi" },
      },
    });
  }
  layer.push({
    mark: { type: "line", color: colour, strokeWidth: 2, point: { filled: true, size: 30, color: colour } },
    encoding: {
      x: quarterAxis(quarters),
      y: { field: "value", type: "quantitative", title: yTitle, scale: yScale, axis: yAxis },
    },
  });
  return {
    width: WIDTH,
    height: 200,
    title: { text: title, subtitle: hasCi ? `${subtitle}; band: 95 % CI over replications` : subtitle },
    data: { values },
    layer: [...layer, ...extra],
  } as TopLevelSpec;
}

export function cutoffSeriesSpec(rows: QuarterRow[], passMark: number | null): TopLevelSpec {
  const extra =
    passMark === null
      ? []
      : [
          {
            data: { values: [{ passMark }] },
            mark: { type: "rule", color: PASS_MARK_COLOUR, strokeWidth: 1.5 },
            encoding: { y: { field: "passMark", type: "quantitative" } },
          },
        ];
  return quarterLineSpec(
    rows,
    (r) => ({ value: r.cutoff, ci: r.cutoffCi }),
    "Cutoff score per quarter",
    passMark === null ? "lowest allotted score" : `lowest allotted score; red line: pass mark ${passMark}`,
    "Cutoff score",
    CUTOFF_COLOUR,
    extra,
  );
}

export function backlogSeriesSpec(rows: QuarterRow[]): TopLevelSpec {
  return quarterLineSpec(
    rows,
    (r) => ({ value: r.backlog, ci: r.backlogCi }),
    "Backlog at the end of each quarter",
    "applications arrived but not yet assessed",
    "Applications waiting",
    "#7b3294",
    [],
    true,
  );
}

export function allottedSeriesSpec(rows: QuarterRow[]): TopLevelSpec {
  const quarters = rows.map((r) => r.quarter);
  const values = rows.map((r) => ({
    quarter: r.quarter,
    allotted: r.allotted,
    quota: r.quota,
    lo: r.allottedCi?.lo ?? null,
    hi: r.allottedCi?.hi ?? null,
  }));
  const layer: unknown[] = [
    {
      mark: { type: "bar", color: ALLOTTED_COLOUR },
      encoding: {
        x: quarterAxis(quarters),
        y: { field: "allotted", type: "quantitative", title: "Applications" },
      },
    },
  ];
  if (values.some((v) => v.lo !== null)) {
    layer.push({
      mark: { type: "rule", color: "#000000", strokeWidth: 1.5 },
      encoding: { x: quarterAxis(quarters), y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
    });
  }
  if (values.some((v) => v.quota !== null)) {
    layer.push({
      mark: { type: "tick", color: PASS_MARK_COLOUR, thickness: 4 },
      encoding: { x: quarterAxis(quarters), y: { field: "quota", type: "quantitative" } },
    });
  }
  const ci = values.some((v) => v.lo !== null) ? "; black whiskers: 95 % CI" : "";
  return {
    width: WIDTH,
    height: 200,
    title: {
      text: "Allotted per quarter against the quota",
      subtitle: `green bars: allotted; red ticks: quota (none = unlimited)${ci}`,
    },
    data: { values },
    layer,
  } as TopLevelSpec;
}

export function cohortSpec(c: CohortComparison): TopLevelSpec {
  const totalApplicants = c.rows.reduce((s, r) => s + r.applicants, 0);
  const totalAllotted = c.rows.reduce((s, r) => s + r.allotted, 0);
  const categories = c.rows.map((r) => r.category);
  const values = c.rows.flatMap((r) => [
    {
      category: r.category,
      series: "applicants",
      share: totalApplicants > 0 ? r.applicants / totalApplicants : 0,
    },
    { category: r.category, series: "allotted", share: totalAllotted > 0 ? r.allotted / totalAllotted : 0 },
  ]);
  return {
    width: 300,
    height: { step: 11 },
    title: { text: `By ${c.dimension}`, subtitle: "share of applicants (grey) and of allotted (green)" },
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: { field: "category", type: "nominal", sort: categories, title: null, axis: { labelLimit: 220 } },
      yOffset: { field: "series", type: "nominal", sort: ["applicants", "allotted"] },
      x: { field: "share", type: "quantitative", title: "Share", axis: { format: ".0%" } },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        sort: ["applicants", "allotted"],
        scale: { domain: ["applicants", "allotted"], range: [APPLICANTS_COLOUR, ALLOTTED_COLOUR] },
      },
    },
  } as TopLevelSpec;
}

/** Change relative to the baseline in %, with its CI, one row per metric whose baseline is not 0. */
export function compareForestSpec(metrics: CompareMetric[]): TopLevelSpec | null {
  const values = metrics
    .filter((m) => m.baseline !== null && m.baseline !== 0 && m.difference !== null)
    .map((m) => {
      const base = Math.abs(m.baseline!);
      return {
        label: m.label,
        change: m.difference! / base,
        lo: m.ci ? m.ci.lo / base : null,
        hi: m.ci ? m.ci.hi / base : null,
      };
    });
  if (values.length === 0) return null;
  const labels = values.map((v) => v.label);
  const y = { field: "label", type: "nominal", sort: labels, title: null, axis: { labelLimit: 240 } };
  const hasCi = values.some((v) => v.lo !== null);
  const layer: unknown[] = [
    {
      data: { values: [{ zero: 0 }] },
      mark: { type: "rule", color: "#888888" },
      encoding: { x: { field: "zero", type: "quantitative" } },
    },
  ];
  if (hasCi) {
    layer.push({
      mark: { type: "rule", color: REFORM_COLOUR, strokeWidth: 2 },
      encoding: { y, x: { field: "lo", type: "quantitative" }, x2: { field: "hi" } },
    });
  }
  layer.push({
    mark: { type: "point", filled: true, size: 70, color: REFORM_COLOUR },
    encoding: {
      y,
      x: {
        field: "change",
        type: "quantitative",
        title: "Reform vs baseline",
        axis: { format: "+.0%", tickCount: 6 },
      },
    },
  });
  return {
    width: WIDTH - 120,
    height: { step: 26 },
    title: {
      text: "Change from baseline to reform",
      subtitle: hasCi
        ? "relative to the baseline value; line: 95 % CI of the difference"
        : "relative to the baseline value",
    },
    data: { values },
    layer,
  } as TopLevelSpec;
}

export function compareSeriesSpec(
  label: string,
  points: CompareSeriesPoint[],
  names: { baseline: string; reform: string },
  counts = false,
): TopLevelSpec {
  const quarters = [...new Set(points.map((p) => p.quarter))];
  const values = points.map((p) => ({
    quarter: p.quarter,
    side: p.side === "baseline" ? `baseline: ${names.baseline}` : `reform: ${names.reform}`,
    value: p.value,
    lo: p.ci?.lo ?? null,
    hi: p.ci?.hi ?? null,
  }));
  const sides = [`baseline: ${names.baseline}`, `reform: ${names.reform}`];
  const colour = {
    field: "side",
    type: "nominal",
    title: null,
    scale: { domain: sides, range: [BASELINE_COLOUR, REFORM_COLOUR] },
  };
  const hasCi = values.some((v) => v.lo !== null);
  const layer: unknown[] = [];
  if (hasCi) {
    layer.push({
      mark: { type: "area", opacity: 0.2 },
      encoding: {
        x: quarterAxis(quarters),
        y: { field: "lo", type: "quantitative" },
        y2: { field: "hi" },
        color: colour,
      },
    });
  }
  layer.push({
    mark: { type: "line", strokeWidth: 2, point: { filled: true, size: 25 } },
    encoding: {
      x: quarterAxis(quarters),
      y: {
        field: "value",
        type: "quantitative",
        title: label,
        scale: counts ? { zero: true } : levelScale(values),
        axis: { format: counts ? ",d" : ",.2~f" },
      },
      color: colour,
    },
  });
  return {
    width: WIDTH,
    height: 200,
    title: {
      text: `${label} per quarter`,
      subtitle: hasCi ? "baseline and reform; bands: 95 % CI" : "baseline and reform",
    },
    data: { values },
    layer,
  } as TopLevelSpec;
}

/**
 * A y scale for levels (scores): not from zero, and padded when every value is the same, where
 * vega would otherwise make a zero-width domain with ticks like "80.000000".
 */
function levelScale(values: { value: number | null; lo: number | null; hi: number | null }[]) {
  const all = values
    .flatMap((v) => [v.value, v.lo, v.hi])
    .filter((v): v is number => v !== null && Number.isFinite(v));
  if (all.length === 0) return { zero: false };
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  return lo === hi ? { domain: [lo - 10, hi + 10] } : { zero: false };
}

function axisText(v: string | number): string {
  return typeof v === "number" ? String(v) : v;
}

/**
 * A heatmap of one metric over the first two axes (small multiples over the rest), or a line with
 * CI whiskers when only one axis was varied.
 */
export function sweepSpec(
  axes: SweepAxis[],
  cells: SweepCell[],
  metric: string,
  metricLabel: string,
): TopLevelSpec {
  const [xAxis, yAxis, ...rest] = axes;
  if (!xAxis) throw new Error("a sweep needs at least one axis");
  const values = cells.map((c) => {
    const m = c.metrics[metric];
    return {
      x: axisText(c.coordinates[xAxis.path] ?? ""),
      y: yAxis ? axisText(c.coordinates[yAxis.path] ?? "") : "",
      panel: rest.map((a) => `${a.path} = ${axisText(c.coordinates[a.path] ?? "")}`).join(", "),
      value: m?.mean ?? null,
      label: m?.mean === null || m?.mean === undefined ? "–" : formatCompact(m.mean),
      lo: m?.ci?.lo ?? null,
      hi: m?.ci?.hi ?? null,
    };
  });
  const xSort = xAxis.values.map(axisText);
  if (!yAxis) {
    const layer: unknown[] = [];
    if (values.some((v) => v.lo !== null)) {
      layer.push({
        mark: { type: "rule", strokeWidth: 2, color: "#555555" },
        encoding: {
          x: { field: "x", type: "ordinal", sort: xSort },
          y: { field: "lo", type: "quantitative" },
          y2: { field: "hi" },
        },
      });
    }
    layer.push({
      mark: { type: "line", point: { filled: true, size: 50, color: REFORM_COLOUR }, color: REFORM_COLOUR },
      encoding: {
        x: { field: "x", type: "ordinal", sort: xSort, title: xAxis.path, axis: { labelAngle: 0 } },
        y: { field: "value", type: "quantitative", title: metricLabel, scale: { zero: false } },
      },
    });
    return {
      width: WIDTH,
      height: 240,
      title: { text: `${metricLabel} over ${xAxis.path}`, subtitle: "one point per cell; whiskers: 95 % CI" },
      data: { values },
      layer,
    } as TopLevelSpec;
  }
  const ySort = yAxis.values.map(axisText);
  const cellSpec = {
    width: Math.min(WIDTH, Math.max(240, 96 * xSort.length)),
    height: Math.max(120, 44 * ySort.length),
    layer: [
      {
        mark: { type: "rect", stroke: "#ffffff", strokeWidth: 1 },
        encoding: {
          x: {
            field: "x",
            type: "ordinal",
            sort: xSort,
            title: xAxis.path,
            axis: { labelAngle: 0, grid: false },
          },
          y: { field: "y", type: "ordinal", sort: ySort, title: yAxis.path, axis: { grid: false } },
          color: {
            field: "value",
            type: "quantitative",
            title: metricLabel,
            scale: { scheme: "viridis" },
            legend: { titleLimit: 400 },
          },
        },
      },
      {
        mark: { type: "text", fontSize: 13, fontWeight: 600, baseline: "middle" },
        encoding: {
          x: { field: "x", type: "ordinal", sort: xSort },
          y: { field: "y", type: "ordinal", sort: ySort },
          text: { field: "label" },
          color: { condition: { test: "datum.ink === 'white'", value: "#ffffff" }, value: "#000000" },
        },
      },
    ],
  };
  const numeric = values.map((v) => v.value).filter((v): v is number => v !== null);
  const mid = numeric.length > 0 ? (Math.min(...numeric) + Math.max(...numeric)) / 2 : 0;
  // viridis is dark at the low end: white labels there, black on the light cells
  const withMid = values.map((v) => ({ ...v, ink: v.value !== null && v.value < mid ? "white" : "black" }));
  const title = {
    text: `${metricLabel} over ${xAxis.path} × ${yAxis.path}`,
    subtitle: "one cell per combination; darker = lower",
  };
  if (rest.length === 0) {
    return { title, data: { values: withMid }, ...cellSpec } as TopLevelSpec;
  }
  return {
    title,
    data: { values: withMid },
    facet: { field: "panel", type: "nominal", title: null },
    columns: 2,
    spec: cellSpec,
  } as TopLevelSpec;
}

/** Short labels inside heatmap cells: 1,234 / 12.3 / 0.12. */
export function formatCompact(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return Number(v.toFixed(digits)).toLocaleString("en-US", { maximumFractionDigits: digits });
}

/** Colours of the residence states: arrival pending in light blue, in Hong Kong green, gone grey. */
const STATE_COLOURS: Record<string, string> = {
  "awaiting arrival": "#c6dbef",
  "never arrived": "#bdbdbd",
  "in Hong Kong": "#74c476",
  "permanent resident": "#1a9850",
  "left Hong Kong": "#fdae6b",
};
export const STATE_LABELS: Record<string, string> = {
  awaiting_arrival: "awaiting arrival",
  never_arrived: "never arrived",
  in_hk: "in Hong Kong",
  permanent_resident: "permanent resident",
  left_hk: "left Hong Kong",
};

/** Share of each allotment-year cohort still in Hong Kong by years since allotment: one line per cohort. */
export function survivalSpec(r: ResidenceReport): TopLevelSpec {
  return {
    width: WIDTH,
    height: 240,
    title: {
      text: "Still in Hong Kong, by years since allotment",
      subtitle: "share of each allotment-year cohort in Hong Kong (in stay or permanent resident)",
    },
    data: { values: r.survival },
    mark: { type: "line", point: { filled: true, size: 30 } },
    encoding: {
      x: { field: "years", type: "quantitative", title: "Years since allotment", axis: { tickMinStep: 1 } },
      y: {
        field: "share",
        type: "quantitative",
        title: "Share in Hong Kong",
        scale: { domain: [0, 1] },
        axis: { format: ".0%" },
      },
      color: {
        field: "cohort",
        type: "ordinal",
        title: "Allotted in",
        // many cohorts in a history run: a sequential scheme reads as "earlier → later"
        scale: { scheme: "viridis" },
      },
    },
  } as TopLevelSpec;
}

/** The stock of QMAS principals by state at the end of each quarter, stacked. */
export function residenceStockSpec(r: ResidenceReport): TopLevelSpec {
  const quarters = [...new Set(r.stock.map((s) => s.quarter))];
  const order = Object.values(STATE_LABELS);
  return {
    width: WIDTH,
    height: 240,
    title: {
      text: "Allotted principals by state, quarter by quarter",
      subtitle: "stacked: the total is everyone allotted so far",
    },
    data: { values: r.stock.map((s) => ({ ...s, order: order.indexOf(s.state) })) },
    mark: { type: "area" },
    encoding: {
      x: quarterAxis(quarters),
      y: { field: "principals", type: "quantitative", title: "Principals", stack: "zero" },
      color: {
        field: "state",
        type: "nominal",
        title: "State",
        sort: order,
        scale: { domain: order, range: order.map((o) => STATE_COLOURS[o]!) },
      },
      order: { field: "order", type: "quantitative" },
    },
  } as TopLevelSpec;
}

/** A log scale for yearly counts from tens to tens of thousands (a year with none sits at the bottom). */
const LOG_COUNTS = { type: "log", domainMin: 10, clamp: true };

/** Allotted per year: the simulated mean with its 95 % band, and the published totals as points. */
export function validationSeriesSpec(v: ValidationModel): TopLevelSpec {
  const years = v.annual.map((a) => a.year);
  const values = v.annual.map((a) => ({
    year: a.year,
    mean: a.mean,
    lo: a.ci?.lo ?? null,
    hi: a.ci?.hi ?? null,
    published: a.published,
  }));
  const x = { field: "year", type: "ordinal", sort: years, title: "Year", axis: { labelAngle: -45 } };
  const layer: unknown[] = [];
  if (values.some((r) => r.lo !== null))
    layer.push({
      mark: { type: "area", color: ALLOTTED_COLOUR, opacity: 0.25 },
      encoding: {
        x,
        y: { field: "lo", type: "quantitative", scale: LOG_COUNTS },
        y2: { field: "hi" },
      },
    });
  layer.push(
    {
      mark: { type: "line", color: ALLOTTED_COLOUR, point: true },
      encoding: {
        x,
        y: {
          field: "mean",
          type: "quantitative",
          title: "Allotted (approved) per year",
          scale: LOG_COUNTS,
          axis: { values: [10, 30, 100, 300, 1000, 3000, 10000, 30000], format: "," },
        },
      },
    },
    {
      transform: [{ filter: "datum.published !== null" }],
      mark: { type: "point", shape: "diamond", size: 120, filled: true, color: "#000000" },
      encoding: { x, y: { field: "published", type: "quantitative", scale: LOG_COUNTS } },
    },
  );
  return {
    width: WIDTH,
    height: 260,
    title: {
      text: "Allotted per year: simulated and published",
      subtitle:
        "log scale (the 2023–24 surge is a hundred times the early years); green line: simulated mean, band: 95 % CI; black diamonds: published totals",
    },
    data: { values },
    layer,
  } as TopLevelSpec;
}
