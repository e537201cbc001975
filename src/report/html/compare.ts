import { compareForestSpec, compareSeriesSpec } from "./charts.js";
import { escapeHtml, formatInterval, formatNumber, formatSigned } from "./format.js";
import {
  changesTable,
  figure,
  footer,
  page,
  provenanceLine,
  reproducibilitySection,
  scenarioIntro,
  table,
} from "./layout.js";
import { mdEscape, mdProvenance, mdTable } from "./markdown.js";
import type { CompareMetric, CompareReportModel, RenderedReport } from "./models.js";
import { renderVegaLiteSvg } from "./vega.js";

/**
 * Whether a difference is distinguishable from zero at the 95 % level (its CI excludes 0); "no change"
 * when every paired replication gave exactly the same value on both sides.
 */
export function significance(
  m: CompareMetric,
): "higher" | "lower" | "no clear difference" | "no change" | "no CI" {
  if (m.difference === 0 && m.ci && m.ci.lo === 0 && m.ci.hi === 0) return "no change";
  if (!m.ci) return "no CI";
  if (m.ci.lo > 0) return "higher";
  if (m.ci.hi < 0) return "lower";
  return "no clear difference";
}

function metricSentence(m: CompareMetric): string {
  const sig = significance(m);
  const diff = formatSigned(m.difference);
  const base = `${m.label}: ${formatNumber(m.baseline)} → ${formatNumber(m.reform)} (${diff}`;
  if (sig === "no CI") return `${base}).`;
  return `${base}, 95 % CI ${formatInterval(m.ci)}${sig === "no clear difference" ? "; not distinguishable from no change" : ""}).`;
}

/** The metrics that moved, one line each; those identical in every replication named in one line. */
function glance(m: CompareReportModel): string {
  const moved = m.metrics.filter((x) => significance(x) !== "no change");
  const same = m.metrics.filter((x) => significance(x) === "no change");
  const items = moved.map((x) => `<li>${escapeHtml(metricSentence(x))}</li>`);
  if (same.length > 0)
    items.push(
      `<li>${escapeHtml(`Unchanged in every replication: ${same.map((x) => x.label).join(", ")}.`)}</li>`,
    );
  return `<div class="answer"><ul>\n${items.join("\n")}\n</ul></div>`;
}

export async function renderCompareReport(m: CompareReportModel): Promise<RenderedReport> {
  const title = `qmas-sim compare: ${m.baseline.name} vs ${m.reform.name}`;
  const replicated = (m.provenance.replications ?? 1) > 1;
  const figures: string[] = [];
  const forest = compareForestSpec(m.metrics);
  let n = 1;
  if (forest) {
    figures.push(
      figure(
        "chart-differences",
        await renderVegaLiteSvg(
          forest,
          "Dot plot of the change in each metric from baseline to reform",
          "chart-differences",
        ),
        `Figure ${n++}. Each metric's change from the baseline (${m.baseline.name}) to the reform (${m.reform.name}), as a percentage of the baseline value.${replicated ? " Lines are 95 % confidence intervals of the paired difference (common random numbers); a line that crosses 0 means no clear difference." : ""} Metrics whose baseline is 0 are in the table only.`,
      ),
    );
  }
  for (const [i, s] of (m.series ?? []).entries()) {
    figures.push(
      figure(
        `chart-series-${i}`,
        await renderVegaLiteSvg(
          compareSeriesSpec(
            s.label,
            s.points,
            { baseline: m.baseline.name, reform: m.reform.name },
            s.counts === true,
          ),
          `Line chart of ${s.label} per quarter, baseline and reform`,
          `chart-series-${i}`,
        ),
        `Figure ${n++}. ${s.label} per quarter in the baseline (green) and the reform (orange)${s.points.some((p) => p.ci) ? ", with 95 % confidence bands" : ""}.`,
      ),
    );
  }
  const metricsTable = table(
    "metrics-table",
    `Baseline, reform and difference per metric${replicated ? ` (means over ${m.provenance.replications} paired replications)` : ""}`,
    [
      { header: "Metric", cell: (r: CompareMetric) => r.label },
      {
        header: `Baseline (${m.baseline.name})`,
        cell: (r: CompareMetric) => formatNumber(r.baseline),
        numeric: true,
      },
      {
        header: `Reform (${m.reform.name})`,
        cell: (r: CompareMetric) => formatNumber(r.reform),
        numeric: true,
      },
      { header: "Difference", cell: (r: CompareMetric) => formatSigned(r.difference), numeric: true },
      {
        header: "95 % CI of the difference",
        cell: (r: CompareMetric) => formatInterval(r.ci),
        numeric: true,
      },
      { header: "Verdict", cell: (r: CompareMetric) => significance(r) },
    ],
    m.metrics,
  );
  const body = `<header>
<h1>${escapeHtml(title)}</h1>
<p class="lede">${escapeHtml(m.reform.description || "(no description)")}</p>
${provenanceLine(m.provenance)}
</header>
<section aria-labelledby="at-a-glance">
<h2 id="at-a-glance">At a glance</h2>
${glance(m)}
</section>
<section aria-labelledby="changes">
<h2 id="changes">What the reform changes</h2>
${changesTable("changes-table", "Parameters that differ between baseline and reform", m.changedParameters, `Baseline (${m.baseline.name})`, `Reform (${m.reform.name})`)}
</section>
<section aria-labelledby="results">
<h2 id="results">Results</h2>
${figures.join("\n")}
${metricsTable}
</section>
<section aria-labelledby="scenarios">
<h2 id="scenarios">The two scenarios</h2>
<h3>Baseline</h3>
${scenarioIntro(m.baseline)}
<h3>Reform</h3>
${scenarioIntro(m.reform)}
</section>
<section aria-labelledby="reproducibility">
${reproducibilitySection(m.provenance, m.files)}
</section>
${footer()}`;
  return { html: page(title, body), markdown: compareMarkdown(m) };
}

export function compareMarkdown(m: CompareReportModel): string {
  const rows = m.metrics.map((x) => [
    x.label,
    formatNumber(x.baseline),
    formatNumber(x.reform),
    formatSigned(x.difference),
    formatInterval(x.ci),
  ]);
  const changes = mdTable(
    ["Parameter", "Baseline", "Reform"],
    m.changedParameters.map((c) => [c.path, c.before ?? "(not set)", c.after ?? "(removed)"]),
    3,
  );
  return `# qmas-sim compare: ${mdEscape(m.baseline.name)} vs ${mdEscape(m.reform.name)}

${mdEscape(m.reform.description.trim())}

${mdTable(["Metric", "Baseline", "Reform", "Difference", "95 % CI"], rows)}

## Changed parameters

${m.changedParameters.length === 0 ? "None." : changes}

## Reproducibility

${mdProvenance(m.provenance)}

Charts and all tables: \`report.html\` (opens offline).
`;
}
