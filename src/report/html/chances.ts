import type { TopLevelSpec } from "vega-lite";
import { escapeHtml } from "./format.js";
import { type Column, figure, footer, page, table } from "./layout.js";
import { renderVegaLiteSvg } from "./vega.js";

/**
 * report.html of `qmas-sim chances`: the probability of being allotted within k exercises by score
 * (one line per k, its 95 % band around it) and a fan chart of each exercise's lowest allotted score.
 * The model is plain data, so the page can be rendered and tested without running anything.
 */
export interface ChancesReportModel {
  title: string;
  /** sentences above the charts (the selection, the queue, what is not modelled) */
  lede: string[];
  /** e.g. "points (qmas-gpt-2018)" */
  scoreLabel: string;
  passMark: number;
  curves: { score: number; k: number; p: number; low: number; high: number }[];
  apt: { k: number; p: number; low: number; high: number }[];
  cutoffs: { exercise: number; quarter: string; quantile: number; cutoff: number | null }[];
  /** one person's chances, as text lines, when asked */
  applicant?: { heading: string; lines: string[] };
  provenance: [string, string][];
  files: string[];
}

const WIDTH = 640;

export function curvesSpec(m: ChancesReportModel): TopLevelSpec {
  const values = m.curves.map((c) => ({ ...c, within: `within ${c.k}` }));
  const order = [...new Set(values.map((v) => v.within))];
  // the legend shows the lines (the bands' pale fill would hide the colours)
  const colour = {
    field: "within",
    type: "nominal",
    title: "Exercises",
    sort: order,
    legend: { symbolType: "stroke", symbolStrokeWidth: 3, symbolOpacity: 1 },
  } as const;
  return {
    width: WIDTH,
    height: 300,
    title: {
      text: "Probability of being allotted, by score",
      subtitle: "one line per number of exercises; shaded: 95 % interval",
    },
    data: { values },
    layer: [
      {
        mark: { type: "area", opacity: 0.18 },
        encoding: {
          x: { field: "score", type: "quantitative", title: `Score (${m.scoreLabel})` },
          y: { field: "low", type: "quantitative", title: "P(allotted)", scale: { domain: [0, 1] } },
          y2: { field: "high" },
          color: colour,
        },
      },
      {
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: { field: "score", type: "quantitative" },
          y: { field: "p", type: "quantitative" },
          color: colour,
        },
      },
      {
        data: { values: [{ score: m.passMark, text: `pass mark ${m.passMark}` }] },
        layer: [
          {
            mark: { type: "rule", color: "#b2182b", strokeDash: [4, 3] },
            encoding: { x: { field: "score", type: "quantitative" } },
          },
          {
            mark: {
              type: "text",
              align: "left",
              baseline: "top",
              dx: 4,
              dy: 2,
              color: "#b2182b",
              fontWeight: 600,
            },
            encoding: {
              x: { field: "score", type: "quantitative" },
              y: { value: 0 },
              text: { field: "text" },
            },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}

export function fanSpec(m: ChancesReportModel): TopLevelSpec {
  const byExercise = new Map<number, Record<string, number | string | null>>();
  for (const c of m.cutoffs) {
    const row = byExercise.get(c.exercise) ?? { exercise: c.exercise, label: `${c.exercise} (${c.quarter})` };
    row[`q${Math.round(c.quantile * 100)}`] = c.cutoff;
    byExercise.set(c.exercise, row);
  }
  const values = [...byExercise.values()].filter((r) => r["q50"] !== null);
  // a fixed range around the pass mark and the cutoffs: a constant cutoff would give a degenerate axis
  const seen = values.flatMap((r) => [r["q5"], r["q95"]]).filter((v): v is number => typeof v === "number");
  const domain = [Math.min(m.passMark, ...seen) - 5, Math.max(m.passMark, ...seen) + 5];
  const x = {
    field: "label",
    type: "ordinal",
    title: "Exercise (quarter)",
    sort: null,
    axis: { labelAngle: 0 },
  } as const;
  return {
    width: WIDTH,
    height: 240,
    title: {
      text: "Lowest score allotted in each exercise",
      subtitle: "median line; bands: 25–75 % and 5–95 % of replications",
    },
    data: { values },
    layer: [
      {
        mark: { type: "area", opacity: 0.15, color: "#2166ac" },
        encoding: {
          x,
          y: {
            field: "q5",
            type: "quantitative",
            title: `Score (${m.scoreLabel})`,
            scale: { domain, nice: true },
            axis: { format: "d" },
          },
          y2: { field: "q95" },
        },
      },
      {
        mark: { type: "area", opacity: 0.3, color: "#2166ac" },
        encoding: { x, y: { field: "q25", type: "quantitative" }, y2: { field: "q75" } },
      },
      // whiskers as well as bands: a band needs two exercises to show
      {
        mark: { type: "rule", color: "#2166ac", strokeWidth: 1.5 },
        encoding: { x, y: { field: "q5", type: "quantitative" }, y2: { field: "q95" } },
      },
      {
        mark: { type: "rule", color: "#2166ac", strokeWidth: 6, opacity: 0.6 },
        encoding: { x, y: { field: "q25", type: "quantitative" }, y2: { field: "q75" } },
      },
      {
        mark: { type: "line", point: true, color: "#08306b" },
        encoding: { x, y: { field: "q50", type: "quantitative" } },
      },
    ],
  } as TopLevelSpec;
}

/** A probability as a percentage; never rounded to 0 % or 100 % when it is not exactly that. */
export function percent(p: number): string {
  if (p <= 0) return "0 %";
  if (p >= 1) return "100 %";
  const v = p * 100;
  const text = v < 9.5 || v > 90.5 ? v.toFixed(1) : v.toFixed(0);
  if (text === "100.0") return "> 99.9 %";
  if (text === "0.0") return "< 0.1 %";
  return `${text} %`;
}

const pct = percent;

export async function renderChancesReport(m: ChancesReportModel): Promise<string> {
  const parts: string[] = [`<h1>${escapeHtml(m.title)}</h1>`];
  for (const l of m.lede) parts.push(`<p class="lede">${escapeHtml(l)}</p>`);
  if (m.applicant) {
    parts.push(`<h2 id="applicant">${escapeHtml(m.applicant.heading)}</h2>`);
    parts.push(`<pre>${escapeHtml(m.applicant.lines.join("\n"))}</pre>`);
  }
  parts.push('<h2 id="curves">Probability by score</h2>');
  parts.push(
    figure(
      "chart-chances",
      await renderVegaLiteSvg(
        curvesSpec(m),
        "Probability of being allotted within k exercises, by score",
        "chart-chances",
      ),
      "Figure 1. For each score on the table, the probability that an application is allotted within k exercises, with its 95 % interval (Monte Carlo error of the replications). Below the pass mark it is 0. Where two lines coincide (a further exercise adds nothing) only the later one shows.",
    ),
  );
  const cutoffRows = m.cutoffs.filter((c) => c.cutoff !== null);
  if (cutoffRows.length > 0) {
    parts.push('<h2 id="cutoffs">Cutoff forecast</h2>');
    parts.push(
      figure(
        "chart-cutoffs",
        await renderVegaLiteSvg(
          fanSpec(m),
          "Forecast of each exercise's lowest allotted score",
          "chart-cutoffs",
        ),
        "Figure 2. The lowest GPT or criteria score allotted in each exercise over the replications. Where a committee decides, cases above this score are refused too: it is not a threshold.",
      ),
    );
  }
  const ks = [...new Set(m.curves.map((c) => c.k))];
  const scores = [...new Set(m.curves.map((c) => c.score))].filter((s) => s >= m.passMark);
  const at = (s: number, k: number) => m.curves.find((c) => c.score === s && c.k === k)!;
  const columns: Column<number>[] = [
    { header: "Score", cell: (s) => String(s), numeric: true },
    ...ks.map((k) => ({
      header: `within ${k}`,
      cell: (s: number) => pct(at(s, k).p),
      sub: (s: number) => `${pct(at(s, k).low)}–${pct(at(s, k).high)}`,
      numeric: true,
    })),
  ];
  parts.push(
    '<h2 id="table">Every score</h2>',
    table("chances-table", "P(allotted within k exercises), 95 % interval below", columns, scores),
  );
  if (m.apt.length > 0)
    parts.push(
      `<p>Achievement-based Points Test: ${m.apt.map((a) => `within ${a.k}: ${escapeHtml(pct(a.p))} (${escapeHtml(pct(a.low))}–${escapeHtml(pct(a.high))})`).join("; ")}.</p>`,
    );
  parts.push(
    '<h2 id="reproducibility">Reproducibility</h2>',
    table(
      "provenance-table",
      "How this report was made",
      [
        { header: "Item", cell: (r: [string, string]) => r[0] },
        { header: "Value", cell: (r: [string, string]) => r[1] },
      ],
      m.provenance,
    ),
    `<p>Files beside this report: ${m.files.map((f) => `<a href="${escapeHtml(encodeURI(f))}">${escapeHtml(f)}</a>`).join(", ")}.</p>`,
    footer(),
  );
  return page(m.title, parts.join("\n"));
}
