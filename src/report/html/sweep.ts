import { InputError } from "../../errors.js";
import { sweepSpec } from "./charts.js";
import { escapeHtml, formatInterval, formatNumber } from "./format.js";
import {
  type Column,
  figure,
  footer,
  page,
  provenanceLine,
  reproducibilitySection,
  scenarioIntro,
  table,
} from "./layout.js";
import { mdEscape, mdProvenance, mdTable } from "./markdown.js";
import type { RenderedReport, SweepCell, SweepReportModel } from "./models.js";
import { renderVegaLiteSvg } from "./vega.js";

function cellName(m: SweepReportModel, c: SweepCell): string {
  return m.axes.map((a) => `${a.path} = ${String(c.coordinates[a.path] ?? "–")}`).join(", ");
}

function metricLabel(m: SweepReportModel, name: string): string {
  return m.metrics.find((x) => x.name === name)?.label ?? name;
}

/** Lowest and highest cell of the chosen metric, in words. */
export function sweepAnswer(m: SweepReportModel): string {
  const label = metricLabel(m, m.chosenMetric);
  const scored = m.cells
    .map((c) => ({ c, v: c.metrics[m.chosenMetric]?.mean ?? null }))
    .filter((x): x is { c: SweepCell; v: number } => x.v !== null);
  if (scored.length === 0) return `${label}: no cell has a value.`;
  let lo = scored[0]!;
  let hi = scored[0]!;
  for (const s of scored) {
    if (s.v < lo.v) lo = s;
    if (s.v > hi.v) hi = s;
  }
  return `${label} ranges from ${formatNumber(lo.v)} (${cellName(m, lo.c)}) to ${formatNumber(hi.v)} (${cellName(m, hi.c)}) over ${m.cells.length} cells.`;
}

function validate(m: SweepReportModel): void {
  if (m.axes.length === 0) throw new InputError("sweep report: the sweep has no axis");
  if (!m.metrics.some((x) => x.name === m.chosenMetric)) {
    throw new InputError(
      `sweep report: unknown metric '${m.chosenMetric}' (one of: ${m.metrics.map((x) => x.name).join(", ")})`,
    );
  }
}

export async function renderSweepReport(m: SweepReportModel): Promise<RenderedReport> {
  validate(m);
  const label = metricLabel(m, m.chosenMetric);
  const title = `qmas-sim sweep: ${m.scenario.name}`;
  const axesText = m.axes.map((a) => `${a.path} ∈ {${a.values.map(String).join(", ")}}`).join("; ");
  const shape =
    m.axes.length === 1
      ? `one point per value of ${m.axes[0]!.path}, with 95 % confidence whiskers`
      : `a heatmap over ${m.axes[0]!.path} (columns) and ${m.axes[1]!.path} (rows)${
          m.axes.length > 2
            ? `, one panel per combination of ${m.axes
                .slice(2)
                .map((a) => a.path)
                .join(" and ")}`
            : ""
        }; each cell is labelled with its value and darker means lower`;
  // the chosen metric, then how many got in (when that is not the chosen one), so the trade-off shows
  const shown = [
    m.chosenMetric,
    ...["allotted"].filter((x) => x !== m.chosenMetric && m.metrics.some((y) => y.name === x)),
  ];
  const charts: string[] = [];
  for (const [i, name] of shown.entries()) {
    const l = metricLabel(m, name);
    const id = i === 0 ? "chart-sweep" : `chart-sweep-${name}`;
    charts.push(
      figure(
        id,
        await renderVegaLiteSvg(sweepSpec(m.axes, m.cells, name, l), `${l} over the sweep grid`, id),
        `Figure ${i + 1}. ${l} in every cell of the sweep: ${shape}.${i === 0 ? " Every cell uses the same seeds, so differences come from the parameters, not from luck." : ""}`,
      ),
    );
  }
  const chart = `<div class="grid2">\n${charts.join("\n")}\n</div>`;
  const columns: Column<SweepCell>[] = [
    ...m.axes.map((a) => ({ header: a.path, cell: (c: SweepCell) => String(c.coordinates[a.path] ?? "–") })),
    ...m.metrics.map((x) => ({
      header: x.label,
      cell: (c: SweepCell) => formatNumber(c.metrics[x.name]?.mean ?? null),
      sub: (c: SweepCell) => (c.metrics[x.name]?.ci ? formatInterval(c.metrics[x.name]!.ci) : ""),
      numeric: true,
    })),
  ];
  const body = `<header>
<h1>${escapeHtml(title)}</h1>
${scenarioIntro(m.scenario)}
${provenanceLine(m.provenance)}
</header>
<section aria-labelledby="at-a-glance">
<h2 id="at-a-glance">At a glance</h2>
<p class="answer">${escapeHtml(sweepAnswer(m))}</p>
<p>Varied: ${escapeHtml(axesText)} (${m.cells.length} cells, full factorial).</p>
</section>
<section aria-labelledby="grid">
<h2 id="grid">${escapeHtml(label)} over the grid</h2>
${chart}
${table("cells-table", "Every cell: the mean of each metric, with its 95 % confidence interval below it", columns, m.cells)}
</section>
<section aria-labelledby="reproducibility">
${reproducibilitySection(m.provenance, m.files)}
</section>
${footer()}`;
  return { html: page(title, body), markdown: sweepMarkdown(m) };
}

export function sweepMarkdown(m: SweepReportModel): string {
  const headers = [...m.axes.map((a) => a.path), ...m.metrics.flatMap((x) => [x.label, "95 % CI"])];
  const rows = m.cells.map((c) => [
    ...m.axes.map((a) => String(c.coordinates[a.path] ?? "–")),
    ...m.metrics.flatMap((x) => [
      formatNumber(c.metrics[x.name]?.mean ?? null),
      formatInterval(c.metrics[x.name]?.ci ?? null),
    ]),
  ]);
  return `# qmas-sim sweep: ${mdEscape(m.scenario.name)}

${mdEscape(m.scenario.description.trim())}

${mdEscape(sweepAnswer(m))}

${mdTable(headers, rows, m.axes.length)}

## Reproducibility

${mdProvenance(m.provenance)}

Heatmap and all tables: \`report.html\` (opens offline).
`;
}
