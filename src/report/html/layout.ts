import { escapeHtml, formatInterval, formatNumber, NOT_APPLICABLE } from "./format.js";
import type { Interval, ParameterChange, Provenance, RuleSetRef, ScenarioInfo } from "./models.js";

/**
 * The page shell and the HTML pieces every report uses. Everything here returns HTML strings and
 * escapes every piece of text it is given; callers pass raw text, never pre-escaped HTML, except the
 * `body`/`svg` parameters which are HTML built by these helpers or SVG rendered by vega.
 */

const CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --bg-soft: #f6f8fa; --good: #1a9850; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 18px 0 6px; }
p { margin: 6px 0; }
.lede { font-size: 1.05rem; color: var(--muted); max-width: 70ch; }
.answer { font-size: 1.05rem; background: var(--bg-soft); border-left: 4px solid var(--good); padding: 10px 14px; margin: 16px 0; max-width: 80ch; }
.meta { color: var(--muted); font-size: 0.9rem; }
.meta code, td code { font-size: 0.88em; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 16px 0 8px; padding: 0; list-style: none; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: #fff; }
.card .label { display: block; color: var(--muted); font-size: 0.85rem; }
.card .value { display: block; font-size: 1.7rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .ci { display: block; color: var(--muted); font-size: 0.8rem; }
figure { margin: 18px 0 26px; }
figure .chart { overflow-x: auto; }
figcaption { color: var(--muted); font-size: 0.9rem; max-width: 80ch; margin-top: 4px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 8px 28px; }
table { border-collapse: collapse; margin: 8px 0 18px; font-size: 0.88rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; color: var(--ink); }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px; text-align: left; vertical-align: top; }
thead th { background: var(--bg-soft); border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; }
td .sub { display: block; color: var(--muted); font-size: 0.8em; white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
details { margin: 8px 0 18px; }
summary { cursor: pointer; color: var(--muted); }
ul.sources { padding-left: 20px; font-size: 0.88rem; }
ul.sources li { margin: 2px 0; word-break: break-all; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); padding-top: 10px; }
@media print { h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="qmas-sim">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A chart with its caption; the figure is labelled by the caption for screen readers. */
export function figure(id: string, svg: string, caption: string): string {
  return `<figure id="${escapeHtml(id)}" aria-labelledby="${escapeHtml(id)}-caption">
<div class="chart">${svg}</div>
<figcaption id="${escapeHtml(id)}-caption">${escapeHtml(caption)}</figcaption>
</figure>`;
}

export interface Column<Row> {
  header: string;
  /** text of the cell (escaped by the table) */
  cell: (row: Row) => string;
  numeric?: boolean;
  /** a second, smaller line in the cell (e.g. the CI under a mean) */
  sub?: (row: Row) => string;
}

export function table<Row>(id: string, caption: string, columns: Column<Row>[], rows: Row[]): string {
  const head = columns
    .map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ""}>${escapeHtml(c.header)}</th>`)
    .join("");
  const body = rows
    .map((r) => {
      const cells = columns.map((c, i) => {
        const sub = c.sub ? `<span class="sub">${escapeHtml(c.sub(r))}</span>` : "";
        const text = escapeHtml(c.cell(r)) + sub;
        const cls = c.numeric ? ' class="num"' : "";
        return i === 0 ? `<th scope="row"${cls}>${text}</th>` : `<td${cls}>${text}</td>`;
      });
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("\n");
  return `<div class="scroll"><table id="${escapeHtml(id)}">
<caption>${escapeHtml(caption)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>`;
}

export interface Card {
  label: string;
  value: string;
  ci?: Interval | null;
  digits?: number;
}

export function cards(items: Card[]): string {
  const li = items.map((c) => {
    const ci = c.ci
      ? `<span class="ci">95 % CI ${escapeHtml(formatInterval(c.ci, c.digits ?? 1))}</span>`
      : "";
    return `<li class="card"><span class="label">${escapeHtml(c.label)}</span><span class="value">${escapeHtml(c.value)}</span>${ci}</li>`;
  });
  return `<ul class="cards" aria-label="Headline figures">\n${li.join("\n")}\n</ul>`;
}

/** Only web links become hrefs (never javascript: or file:); they are links, nothing is loaded from them. */
export function link(url: string): string {
  if (/^https?:\/\/[^\s"'<>]+$/i.test(url)) {
    return `<a href="${escapeHtml(url)}" rel="noreferrer noopener">${escapeHtml(url)}</a>`;
  }
  return escapeHtml(url);
}

export function ruleSetsSection(ruleSets: RuleSetRef[]): string {
  if (ruleSets.length === 0) return "<p>No rule set was recorded.</p>";
  return ruleSets
    .map((rs) => {
      const period = `${rs.effectiveFrom} → ${rs.effectiveTo ?? "open"}`;
      const sources =
        rs.sources.length === 0
          ? "<li>no source recorded</li>"
          : rs.sources
              .map(
                (s) =>
                  `<li>${escapeHtml(s.about)}${s.confidence ? ` (${escapeHtml(s.confidence)})` : ""}: ${link(s.url)}</li>`,
              )
              .join("\n");
      return `<h3><code>${escapeHtml(rs.id)}</code> ${escapeHtml(rs.title)}</h3>
<p class="meta">in force ${escapeHtml(period)}</p>
<ul class="sources">
${sources}
</ul>`;
    })
    .join("\n");
}

export function provenanceLine(p: Provenance): string {
  const parts = [
    `seed <code>${escapeHtml(String(p.seed))}</code>`,
    `qmas-sim <code>${escapeHtml(p.packageVersion)}</code>`,
    `rule sets ${p.ruleSets.map((r) => `<code>${escapeHtml(r.id)}</code>`).join(", ") || NOT_APPLICABLE}`,
    (p.replications ?? 1) > 1
      ? `${formatNumber(p.replications ?? 1, 0)} replications (95 % confidence intervals shown)`
      : "single run",
  ];
  if (p.period) parts.push(escapeHtml(p.period));
  return `<p class="meta">${parts.join(" · ")}</p>`;
}

export function reproducibilitySection(p: Provenance, files: string[] | undefined): string {
  const rows: [string, string][] = [
    ["Seed", String(p.seed)],
    ["Package version", `qmas-sim ${p.packageVersion}`],
    ["Replications", String(p.replications ?? 1)],
  ];
  if (p.scenarioHash) rows.push(["Scenario hash", p.scenarioHash]);
  if (p.period) rows.push(["Period", p.period]);
  const fileList =
    files && files.length > 0
      ? `<p>Files beside this report: ${files.map((f) => `<a href="${escapeHtml(encodeURI(f))}">${escapeHtml(f)}</a>`).join(", ")}.</p>`
      : "";
  return `<h2 id="reproducibility">Reproducibility: seed, rule sets and sources</h2>
${table(
  "provenance-table",
  "How this report was made",
  [
    { header: "Item", cell: (r: [string, string]) => r[0] },
    { header: "Value", cell: (r: [string, string]) => r[1] },
  ],
  rows,
)}
${fileList}
${ruleSetsSection(p.ruleSets)}`;
}

export function changesTable(
  id: string,
  caption: string,
  changes: ParameterChange[],
  beforeHeader: string,
  afterHeader: string,
): string {
  if (changes.length === 0) return "<p>No parameter differs.</p>";
  return table(
    id,
    caption,
    [
      { header: "Parameter", cell: (c: ParameterChange) => c.path },
      { header: beforeHeader, cell: (c: ParameterChange) => c.before ?? "(not set)" },
      { header: afterHeader, cell: (c: ParameterChange) => c.after ?? "(removed)" },
    ],
    changes,
  );
}

export function scenarioIntro(s: ScenarioInfo): string {
  const ext =
    s.extends === null
      ? "a full scenario (extends nothing)"
      : `extends <code>${escapeHtml(s.extends)}</code>`;
  return `<p class="lede">${escapeHtml(s.description || "(no description)")}</p>
<p class="meta">Scenario <code>${escapeHtml(s.name)}</code>: ${ext}${s.changes.length > 0 ? `, changing ${s.changes.length} value${s.changes.length === 1 ? "" : "s"}` : ""}.</p>`;
}

export function footer(): string {
  return `<footer>Made by qmas-sim. This page loads nothing from the network: charts are inline SVG rendered with Vega-Lite; every number is also in a table.</footer>`;
}
