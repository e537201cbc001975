import {
  allottedSeriesSpec,
  backlogSeriesSpec,
  cohortSpec,
  cutoffSeriesSpec,
  distinctCutoffs,
  groupOrder,
  residenceStockSpec,
  scoreHistogramSpec,
  survivalSpec,
  validationSeriesSpec,
  waitHistogramSpec,
} from "./charts.js";
import { escapeHtml, formatInterval, formatNumber, formatShare, shareOf } from "./format.js";
import {
  type Column,
  cards,
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
import type {
  CohortComparison,
  CohortShareRow,
  HistogramBin,
  QuarterRow,
  RenderedReport,
  ResidenceReport,
  RunReportModel,
  ValidationFigureRow,
  ValidationModel,
} from "./models.js";
import { renderVegaLiteSvg } from "./vega.js";

/** One sentence that answers who got in, with what scores, and how long they waited. */
export function runAnswer(m: RunReportModel): string {
  const h = m.headline;
  const share = formatShare(shareOf(h.allotted, h.applications));
  const parts = [
    `Of ${formatNumber(h.applications, 0)} applications, ${formatNumber(h.allotted, 0)} (${share}) were allotted a place, admitting ${formatNumber(h.personsAdmitted, 0)} persons with their dependants.`,
  ];
  const cut = distinctCutoffs(m.scores.cutoffs);
  const pass = m.scores.passMark === null ? "" : ` (pass mark ${formatNumber(m.scores.passMark)})`;
  if (cut.length > 0) {
    const lo = cut[0]!.score;
    const hi = cut[cut.length - 1]!.score;
    parts.push(
      lo === hi
        ? `An allotted applicant needed at least ${formatNumber(lo)} ${m.scores.unit} in every exercise${pass}.`
        : `An allotted applicant needed at least ${formatNumber(lo)} to ${formatNumber(hi)} ${m.scores.unit} depending on the exercise${pass}; the median cutoff was ${formatNumber(h.medianCutoff)}.`,
    );
  } else {
    parts.push(`No exercise allotted anyone${pass}.`);
  }
  if (h.medianWaitDays !== null)
    parts.push(
      `Allotted applicants waited a median of ${formatNumber(h.medianWaitDays, 0)} days from application to decision.`,
    );
  if (m.residence) parts.push(residenceAnswer(m.residence));
  return parts.join(" ");
}

/** "Of N allotted, X arrived, Y were still in Hong Kong after 7 years and Z became permanent residents". */
export function residenceAnswer(r: ResidenceReport): string {
  const n = (v: number) => formatNumber(v, 0);
  const after7 =
    r.inHkAfter7y === null
      ? "7 years after allotment lies beyond the horizon for all of them"
      : `${n(r.inHkAfter7y)} were still in Hong Kong after 7 years`;
  return `Of ${n(r.allotted)} allotted, ${n(r.arrived)} arrived, ${after7} and ${n(r.permanentResidents)} became permanent residents by ${r.horizonEnd}; ${n(r.personsInHkEnd)} persons (principals with their dependants) were in Hong Kong then.`;
}

function headlineCards(m: RunReportModel): string {
  const h = m.headline;
  const ci = m.headlineCi ?? {};
  // means of counts over replications: whole numbers read better on a card (the tables keep decimals)
  const count = (v: number) => formatNumber(v, 0);
  return cards([
    { label: "Applications", value: count(h.applications), ci: ci.applications, digits: 0 },
    { label: "Allotted", value: count(h.allotted), ci: ci.allotted, digits: 0 },
    { label: "Share allotted", value: formatShare(shareOf(h.allotted, h.applications)) },
    { label: "Persons admitted", value: count(h.personsAdmitted), ci: ci.personsAdmitted, digits: 0 },
    { label: `Median cutoff (${m.scores.unit})`, value: formatNumber(h.medianCutoff), ci: ci.medianCutoff },
    {
      label: "Median wait of the allotted (days)",
      value: formatNumber(h.medianWaitDays, 0),
      ci: ci.medianWaitDays,
      digits: 0,
    },
  ]);
}

function binsTable(
  id: string,
  caption: string,
  unit: string,
  binWidth: number,
  bins: HistogramBin[],
  groups: string[],
): string {
  const starts = [...new Set(bins.map((b) => b.start))].sort((a, b) => a - b);
  const byKey = new Map<string, number>();
  for (const b of bins)
    byKey.set(`${b.start}|${b.group ?? "all"}`, (byKey.get(`${b.start}|${b.group ?? "all"}`) ?? 0) + b.count);
  const columns: Column<number>[] = [
    {
      header: unit,
      cell: (s) => (binWidth === 1 ? formatNumber(s) : `${formatNumber(s)}–${formatNumber(s + binWidth)}`),
      numeric: true,
    },
    ...groups.map((g) => ({
      header: g,
      cell: (s: number) => formatNumber(byKey.get(`${s}|${g}`) ?? 0),
      numeric: true,
    })),
  ];
  return `<details><summary>${escapeHtml(caption)} (table)</summary>
${table(id, caption, columns, starts)}
</details>`;
}

function quarterTable(rows: QuarterRow[]): string {
  const has = (f: (r: QuarterRow) => unknown) => rows.some((r) => f(r) !== undefined);
  const cols: Column<QuarterRow>[] = [{ header: "Quarter", cell: (r) => r.quarter }];
  if (has((r) => r.arrivals))
    cols.push({ header: "Arrivals", cell: (r) => formatNumber(r.arrivals), numeric: true });
  if (has((r) => r.assessed))
    cols.push({ header: "Assessed", cell: (r) => formatNumber(r.assessed), numeric: true });
  if (has((r) => r.passed))
    cols.push({ header: "Passed", cell: (r) => formatNumber(r.passed), numeric: true });
  cols.push({ header: "Backlog", cell: (r) => formatNumber(r.backlog), numeric: true });
  if (has((r) => r.backlogCi))
    cols.push({ header: "Backlog 95 % CI", cell: (r) => formatInterval(r.backlogCi), numeric: true });
  cols.push({
    header: "Quota",
    cell: (r) =>
      r.exercise === false ? "no exercise" : r.quota === null ? "unlimited" : formatNumber(r.quota),
    numeric: true,
  });
  cols.push({ header: "Allotted", cell: (r) => formatNumber(r.allotted), numeric: true });
  if (has((r) => r.allottedCi))
    cols.push({ header: "Allotted 95 % CI", cell: (r) => formatInterval(r.allottedCi), numeric: true });
  cols.push({ header: "Cutoff", cell: (r) => formatNumber(r.cutoff), numeric: true });
  if (has((r) => r.cutoffCi))
    cols.push({ header: "Cutoff 95 % CI", cell: (r) => formatInterval(r.cutoffCi), numeric: true });
  if (has((r) => r.personsAdmitted))
    cols.push({ header: "Persons admitted", cell: (r) => formatNumber(r.personsAdmitted), numeric: true });
  if (has((r) => r.medianWaitDays))
    cols.push({
      header: "Median wait (days)",
      cell: (r) => formatNumber(r.medianWaitDays, 0),
      numeric: true,
    });
  return table(
    "quarters-table",
    "Per quarter: assessment, backlog, quota, allotted and cutoff score",
    cols,
    rows,
  );
}

function cohortTable(c: CohortComparison, index: number): string {
  const totalApplicants = c.rows.reduce((s, r) => s + r.applicants, 0);
  const totalAllotted = c.rows.reduce((s, r) => s + r.allotted, 0);
  const cols: Column<CohortShareRow>[] = [
    { header: c.dimension, cell: (r) => r.category },
    { header: "Applicants", cell: (r) => formatNumber(r.applicants), numeric: true },
    {
      header: "Share of applicants",
      cell: (r) => formatShare(shareOf(r.applicants, totalApplicants)),
      numeric: true,
    },
    { header: "Allotted", cell: (r) => formatNumber(r.allotted), numeric: true },
    {
      header: "Share of allotted",
      cell: (r) => formatShare(shareOf(r.allotted, totalAllotted)),
      numeric: true,
    },
  ];
  if (c.rows.some((r) => r.allottedShareCi)) {
    cols.push({
      header: "Share of allotted, 95 % CI",
      cell: (r) =>
        r.allottedShareCi
          ? `${formatShare(r.allottedShareCi.lo)} to ${formatShare(r.allottedShareCi.hi)}`
          : "–",
      numeric: true,
    });
  }
  cols.push({
    header: "Allotted per applicant",
    cell: (r) => formatShare(shareOf(r.allotted, r.applicants)),
    numeric: true,
  });
  return table(`cohort-table-${index}`, `Applicants and allotted by ${c.dimension}`, cols, c.rows);
}

async function runFigures(
  m: RunReportModel,
): Promise<{ scores: string; waits: string; quarters: string; cohorts: string }> {
  const replicated = (m.provenance.replications ?? 1) > 1;
  const passText =
    m.scores.passMark === null
      ? ""
      : ` The solid red line is the pass mark (${formatNumber(m.scores.passMark)}).`;
  const cut = distinctCutoffs(m.scores.cutoffs);
  const cutText =
    cut.length === 0
      ? " No exercise allotted anyone, so there is no cutoff line."
      : ` Dashed lines mark the cutoff of each exercise (${cut.map((c) => `${formatNumber(c.score)} in ${c.exercises}`).join(", ")}).`;
  const scores = figure(
    "chart-scores",
    await renderVegaLiteSvg(
      scoreHistogramSpec(m.scores),
      "Histogram of assessed applications by score and outcome",
      "chart-scores",
    ),
    `Figure 1. How many assessed applications scored each ${m.scores.unit} value (bins of ${formatNumber(m.scores.binWidth)}), stacked by what happened to them.${passText}${cutText}${m.scores.note ? ` ${m.scores.note}` : ""}`,
  );
  const waits = m.waits
    ? figure(
        "chart-waits",
        await renderVegaLiteSvg(
          waitHistogramSpec(m.waits),
          "Histogram of waiting times from application to decision",
          "chart-waits",
        ),
        `Figure 2. Days from application to decision (bins of ${formatNumber(m.waits.binWidth)} days), stacked by outcome.${m.waits.note ? ` ${m.waits.note}` : ""}`,
      )
    : "";
  const band = replicated
    ? " Shaded bands are 95 % confidence intervals over the replications; lines are the means."
    : "";
  const quarters = [
    figure(
      "chart-cutoff",
      await renderVegaLiteSvg(
        cutoffSeriesSpec(m.quarters, m.scores.passMark),
        "Line chart of the cutoff score per quarter",
        "chart-cutoff",
      ),
      `Figure 3. The lowest score allotted in each quarter's exercise; a gap means nobody was allotted that quarter.${band}`,
    ),
    figure(
      "chart-allotted",
      await renderVegaLiteSvg(
        allottedSeriesSpec(m.quarters),
        "Bar chart of allotted applications per quarter against the quota",
        "chart-allotted",
      ),
      `Figure 4. Applications allotted in each quarter (bars) and the quota available (red ticks; no tick = no quota).${replicated ? " Whiskers are 95 % confidence intervals." : ""}`,
    ),
    figure(
      "chart-backlog",
      await renderVegaLiteSvg(
        backlogSeriesSpec(m.quarters),
        "Line chart of the backlog per quarter",
        "chart-backlog",
      ),
      `Figure 5. Applications that had arrived but were not yet assessed at the end of each quarter (the assessment backlog).${band}`,
    ),
  ].join("\n");
  const cohortFigures: string[] = [];
  let n = 6;
  for (const [i, c] of m.cohorts.entries()) {
    cohortFigures.push(
      figure(
        `chart-cohort-${i}`,
        await renderVegaLiteSvg(
          cohortSpec(c),
          `Bar chart of shares of applicants and allotted by ${c.dimension}`,
          `chart-cohort-${i}`,
        ),
        `Figure ${n++}. Share of all applicants (grey) and of the allotted (green) in each group of ${c.dimension}: a green bar longer than its grey bar means that group got in more often than average.`,
      ),
    );
  }
  return { scores, waits, quarters, cohorts: cohortFigures.join("\n") };
}

/** After allotment: the survival chart, the stock by state, and the figures behind the answer. */
async function residenceSection(r: ResidenceReport): Promise<string> {
  const survival = figure(
    "chart-survival",
    await renderVegaLiteSvg(
      survivalSpec(r),
      "Line chart of the share of each cohort still in Hong Kong",
      "chart-survival",
    ),
    `Share of the principals allotted in each year who were in Hong Kong (in a stay, or permanent residents) each whole year after allotment, up to the horizon (${escapeHtml(r.horizonEnd)}). Year 0 is the day of allotment, before anyone has arrived.${r.note ? ` ${escapeHtml(r.note)}` : ""}`,
  );
  const stock = figure(
    "chart-residence-stock",
    await renderVegaLiteSvg(
      residenceStockSpec(r),
      "Stacked area chart of allotted principals by state per quarter",
      "chart-residence-stock",
    ),
    "Every principal allotted so far, by state at the end of each quarter: awaiting arrival, never arrived, in Hong Kong on a stay, permanent resident, or left. The rates behind these paths are partly assumptions (docs/residence.md).",
  );
  const ci = r.ci ?? {};
  const rows: [string, number | null, { lo: number; hi: number } | undefined][] = [
    ["Allotted (principals)", r.allotted, undefined],
    ["Arrived", r.arrived, ci.arrived],
    ["In Hong Kong 7 years after allotment", r.inHkAfter7y, ci.inHkAfter7y],
    ["Permanent residents", r.permanentResidents, ci.permanentResidents],
    ["Persons in Hong Kong at the horizon", r.personsInHkEnd, ci.personsInHkEnd],
  ];
  const cols: Column<(typeof rows)[number]>[] = [
    { header: "Figure", cell: (x) => x[0] },
    { header: "Value", cell: (x) => formatNumber(x[1], 0), numeric: true },
  ];
  if (rows.some((x) => x[2]))
    cols.push({ header: "95 % CI", cell: (x) => (x[2] ? formatInterval(x[2], 0) : "–"), numeric: true });
  return `<section aria-labelledby="residence">
<h2 id="residence">After allotment: who came, who stayed</h2>
<p>${escapeHtml(residenceAnswer(r))}</p>
${survival}
${stock}
${table("residence-table", `After allotment, to ${r.horizonEnd}`, cols, rows)}
</section>`;
}

export async function renderRunReport(m: RunReportModel): Promise<RenderedReport> {
  const fig = await runFigures(m);
  const scoreGroups = groupOrder(m.scores.bins, m.scores.groups);
  const title = `qmas-sim run: ${m.scenario.name}`;
  const body = `<header>
<h1>${escapeHtml(title)}</h1>
${scenarioIntro(m.scenario)}
${provenanceLine(m.provenance)}
</header>
<section aria-labelledby="at-a-glance">
<h2 id="at-a-glance">At a glance</h2>
<p class="answer">${escapeHtml(runAnswer(m))}</p>
${headlineCards(m)}
</section>
${
  m.scenario.changes.length > 0
    ? `<section aria-labelledby="changes"><h2 id="changes">What this scenario changes</h2>
${changesTable("changes-table", `Values changed relative to ${m.scenario.extends ?? "the scenario extended"}`, m.scenario.changes, `In ${m.scenario.extends ?? "base"}`, `In ${m.scenario.name}`)}</section>`
    : ""
}
<section aria-labelledby="scores">
<h2 id="scores">Who got in, and with what scores</h2>
${fig.scores}
${binsTable("scores-table", "Assessed applications by score and outcome", m.scores.unit, m.scores.binWidth, m.scores.bins, scoreGroups)}
${
  m.waits
    ? `<h2 id="waits">How long they waited</h2>
${fig.waits}
${binsTable("waits-table", "Applications by wait in days and outcome", "days", m.waits.binWidth, m.waits.bins, groupOrder(m.waits.bins, m.waits.groups))}`
    : ""
}
</section>
<section aria-labelledby="quarters">
<h2 id="quarters">Quarter by quarter</h2>
${fig.quarters}
${quarterTable(m.quarters)}
</section>
${m.validation ? await validationSection(m.validation) : ""}
<section aria-labelledby="cohorts">
<h2 id="cohorts">Who was allotted, compared with who applied</h2>
<div class="grid2">
${fig.cohorts}
</div>
${m.cohorts.map((c, i) => cohortTable(c, i)).join("\n")}
</section>
${m.residence ? await residenceSection(m.residence) : ""}
<section aria-labelledby="reproducibility">
${reproducibilitySection(m.provenance, m.files)}
</section>
${footer()}`;
  return { html: page(title, body), markdown: runMarkdown(m) };
}

export function runMarkdown(m: RunReportModel): string {
  const h = m.headline;
  const ci = m.headlineCi ?? {};
  const withCi = (v: string, c: { lo: number; hi: number } | undefined, digits = 1) =>
    c ? `${v} (95 % CI ${formatInterval(c, digits)})` : v;
  const rows = [
    ["Applications", withCi(formatNumber(h.applications), ci.applications)],
    [
      "Allotted",
      withCi(
        `${formatNumber(h.allotted)} (${formatShare(shareOf(h.allotted, h.applications))})`,
        ci.allotted,
      ),
    ],
    ["Persons admitted", withCi(formatNumber(h.personsAdmitted), ci.personsAdmitted)],
    [`Median cutoff (${m.scores.unit})`, withCi(formatNumber(h.medianCutoff), ci.medianCutoff)],
    ["Median wait of the allotted (days)", withCi(formatNumber(h.medianWaitDays, 0), ci.medianWaitDays, 0)],
  ];
  const res = m.residence;
  if (res) {
    const rc = res.ci ?? {};
    rows.push(
      ["Arrived (principals)", withCi(formatNumber(res.arrived, 0), rc.arrived, 0)],
      ["In Hong Kong 7 years after allotment", withCi(formatNumber(res.inHkAfter7y, 0), rc.inHkAfter7y, 0)],
      [
        `Permanent residents by ${res.horizonEnd}`,
        withCi(formatNumber(res.permanentResidents, 0), rc.permanentResidents, 0),
      ],
      [
        `Persons in Hong Kong at ${res.horizonEnd}`,
        withCi(formatNumber(res.personsInHkEnd, 0), rc.personsInHkEnd, 0),
      ],
    );
  }
  const changes =
    m.scenario.changes.length === 0
      ? ""
      : `\n## Changes relative to ${mdEscape(m.scenario.extends ?? "base")}\n\n${mdTable(
          ["Parameter", "Before", "After"],
          m.scenario.changes.map((c) => [c.path, c.before ?? "(not set)", c.after ?? "(removed)"]),
          3,
        )}\n`;
  return `# qmas-sim run: ${mdEscape(m.scenario.name)}

${mdEscape(m.scenario.description.trim())}

${mdEscape(runAnswer(m))}

${mdTable(["Figure", "Value"], rows)}
${changes}${m.validation ? validationMarkdown(m.validation) : ""}
## Reproducibility

${mdProvenance(m.provenance)}

Charts and all tables: \`report.html\` (opens offline).
`;
}

/** validate: the annual series against the published totals, and the table of every figure. */
async function validationSection(v: ValidationModel): Promise<string> {
  const chart = figure(
    "chart-validation",
    await renderVegaLiteSvg(
      validationSeriesSpec(v),
      "Line chart of simulated allotments per year with published totals",
      "chart-validation",
    ),
    "Published vs simulated. Places allotted (approvals from 2023) in each calendar year of the run: the simulated mean with its 95 % confidence interval over the replications, and the published yearly totals where one exists.",
  );
  const within = v.rows.filter((r) => r.gapPct !== null && Math.abs(r.gapPct) <= v.targetPct).length;
  const rows = table<ValidationFigureRow>(
    "validation-table",
    `Every published figure the run covers: ${within} of ${v.rows.length} within ±${v.targetPct} % (gap = (simulated − published) / published)`,
    [
      { header: "Figure", cell: (r) => r.figure },
      { header: "Period", cell: (r) => r.period },
      { header: "Metric", cell: (r) => r.metric },
      { header: "Published", cell: (r) => formatNumber(r.published), numeric: true },
      {
        header: "Simulated (95 % CI)",
        cell: (r) =>
          r.simulated === null
            ? "–"
            : `${formatNumber(r.simulated)}${r.ci ? ` (${formatInterval(r.ci)})` : ""}`,
        numeric: true,
      },
      {
        header: "Gap",
        cell: (r) => (r.gapPct === null ? "–" : `${r.gapPct >= 0 ? "+" : ""}${r.gapPct.toFixed(0)} %`),
        numeric: true,
      },
      { header: "Confidence", cell: (r) => r.confidence },
      { header: "Source", cell: (r) => r.source },
    ],
    v.rows,
  );
  return `<section aria-labelledby="validation">
<h2 id="validation">Published vs simulated</h2>
${chart}
${rows}
</section>`;
}

function validationMarkdown(v: ValidationModel): string {
  const within = v.rows.filter((r) => r.gapPct !== null && Math.abs(r.gapPct) <= v.targetPct).length;
  const rows = v.rows.map((r) => [
    mdEscape(r.figure),
    mdEscape(r.period),
    formatNumber(r.published),
    r.simulated === null ? "–" : `${formatNumber(r.simulated)}${r.ci ? ` (${formatInterval(r.ci)})` : ""}`,
    r.gapPct === null ? "–" : `${r.gapPct >= 0 ? "+" : ""}${r.gapPct.toFixed(0)} %`,
    mdEscape(r.confidence),
  ]);
  return `
## Published vs simulated

${within} of ${v.rows.length} published figures within ±${v.targetPct} % (gap = (simulated − published) / published; validation.csv has the sources).

${mdTable(["Figure", "Period", "Published", "Simulated (95 % CI)", "Gap", "Confidence"], rows)}
`;
}
