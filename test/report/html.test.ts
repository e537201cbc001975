import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { renderCompareReport } from "../../src/report/html/compare.js";
import { escapeHtml, formatNumber, formatSigned } from "../../src/report/html/format.js";
import { mdEscape } from "../../src/report/html/markdown.js";
import type { RenderedReport, RunReportModel } from "../../src/report/html/models.js";
import { renderRunReport, runAnswer } from "../../src/report/html/run.js";
import { renderSweepReport, sweepAnswer } from "../../src/report/html/sweep.js";
import { writeRunReport } from "../../src/report/html/write.js";
import { compareModel, QUARTERS, replicatedRunModel, runModel, sweepModel } from "./fixtures.js";

/** Cell texts of a table with the given id, row by row (header row first). */
function tableCells(html: string, id: string): string[][] {
  const start = html.indexOf(`<table id="${id}">`);
  expect(start, `table #${id} exists`).toBeGreaterThanOrEqual(0);
  const end = html.indexOf("</table>", start);
  const inner = html.slice(start, end);
  return [...inner.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    // a cell's second line (<span class="sub">) is kept after a " | "
    [...row[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((c) =>
      c[1]!.replace(/<span class="sub">(.*?)<\/span>/, " | $1"),
    ),
  );
}

function svgCount(html: string): number {
  return (html.match(/<svg\b/g) ?? []).length;
}

/** Everything the page would fetch: src=, url(...), <link href>, @import. Anchors (<a href>) are not loads. */
function loadedUrls(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/\ssrc\s*=\s*["']?([^"'\s>]+)/gi)) found.push(m[1]!);
  // url(#id) points inside the page (SVG gradients, clip paths)
  for (const m of html.matchAll(/url\(\s*["']?([^"')]+)/gi)) if (!m[1]!.startsWith("#")) found.push(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*href\s*=\s*["']?([^"'\s>]+)/gi)) found.push(m[1]!);
  for (const m of html.matchAll(/@import\s+["']?([^"';\s]+)/gi)) found.push(m[1]!);
  for (const m of html.matchAll(/<(?:image|use|script|iframe|object|embed)\b[^>]*>/gi)) found.push(m[0]);
  return found;
}

/** http(s) URLs anywhere except inside <a href="..."> and the text of those links. */
function urlsOutsideLinks(html: string): string[] {
  const withoutAnchors = html.replace(/<a\s[^>]*>.*?<\/a>/gs, "");
  return withoutAnchors.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
}

let run: RenderedReport;
let replicated: RenderedReport;
let compare: RenderedReport;
let sweep: RenderedReport;

beforeAll(async () => {
  [run, replicated, compare, sweep] = await Promise.all([
    renderRunReport(runModel()),
    renderRunReport(replicatedRunModel()),
    renderCompareReport(compareModel()),
    renderSweepReport(sweepModel()),
  ]);
});

describe("formatting and escaping", () => {
  it("escapes the five HTML-special characters", () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;",
    );
  });

  it("formats numbers with fixed en-US grouping, a real minus and a dash for missing values", () => {
    expect(formatNumber(4800)).toBe("4,800");
    expect(formatNumber(1996.14)).toBe("1,996.1");
    expect(formatNumber(-22.5)).toBe("−22.5");
    expect(formatNumber(-0.04)).toBe("0");
    expect(formatNumber(null)).toBe("–");
    expect(formatNumber(74.6, 0)).toBe("75");
    expect(formatSigned(996.7)).toBe("+996.7");
    expect(formatSigned(-1)).toBe("−1");
    expect(formatSigned(0)).toBe("0");
  });

  it("escapes Markdown so table cells cannot break the table", () => {
    expect(mdEscape("a|b *c* <x>")).toBe("a\\|b \\*c\\* \\<x\\>");
  });

  it("escapes hostile text from the model everywhere, in tables, prose and chart labels", async () => {
    const m: RunReportModel = runModel();
    const evil = `<script>alert("x")</script>`;
    m.scenario.name = `evil ${evil}`;
    m.scenario.description = `desc ${evil}`;
    m.cohorts[1]!.rows[0]!.category = `sector ${evil}`;
    m.provenance.ruleSets[0]!.sources.push({ about: "bad link", url: "javascript:alert(1)" });
    const { html, markdown } = await renderRunReport(m);
    expect(html).not.toContain("<script");
    expect(html).toContain("evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    // vega escapes text inside the SVG too
    expect(html).toContain("sector &lt;script&gt;");
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain("javascript:alert(1)");
    expect(markdown).toContain("evil \\<script\\>");
  });
});

describe("run report", () => {
  it("has one chart per figure: scores, waits, three quarter series and one per cohort dimension", () => {
    expect(svgCount(run.html)).toBe(2 + 3 + runModel().cohorts.length);
    expect((run.html.match(/<figcaption/g) ?? []).length).toBe(svgCount(run.html));
    for (const id of [
      "chart-scores",
      "chart-waits",
      "chart-cutoff",
      "chart-allotted",
      "chart-backlog",
      "chart-cohort-0",
      "chart-cohort-3",
    ]) {
      expect(run.html).toContain(`<figure id="${id}"`);
    }
  });

  it("loads nothing: no src, url(), stylesheet link or script, and http(s) only in source links", () => {
    for (const r of [run, replicated, compare, sweep]) {
      expect(loadedUrls(r.html)).toEqual([]);
      expect(urlsOutsideLinks(r.html)).toEqual([]);
      expect(r.html).not.toMatch(/xmlns/);
    }
    expect(run.html).toContain(
      '<a href="https://www.immd.gov.hk/eng/services/visas/quality_migrant_admission_scheme.html"',
    );
  });

  it("states the seed, the rule sets with their sources and the package version", () => {
    const prov = tableCells(run.html, "provenance-table");
    expect(prov).toContainEqual(["Seed", "20190101"]);
    expect(prov).toContainEqual(["Package version", "qmas-sim 0.1.0"]);
    expect(run.html).toContain("<code>qmas-gpt-2018</code> General Points Test (2018 revision)");
    expect(run.html).toContain("https://www.talentlist.gov.hk/en/");
    expect(run.markdown).toContain("- Seed: `20190101`");
    expect(run.markdown).toContain("Rule set `qmas-gpt-2018`");
    expect(run.markdown).toContain("<https://www.talentlist.gov.hk/en/>");
  });

  it("puts the model's quarter numbers in the quarter table, row by row", () => {
    const rows = tableCells(run.html, "quarters-table");
    expect(rows[0]).toEqual([
      "Quarter",
      "Arrivals",
      "Assessed",
      "Passed",
      "Backlog",
      "Quota",
      "Allotted",
      "Cutoff",
      "Persons admitted",
      "Median wait (days)",
    ]);
    expect(rows.slice(1)).toEqual(
      QUARTERS.map((q) => [
        q.quarter,
        formatNumber(q.arrivals),
        formatNumber(q.assessed),
        formatNumber(q.passed),
        formatNumber(q.backlog),
        formatNumber(q.quota),
        formatNumber(q.allotted),
        formatNumber(q.cutoff),
        formatNumber(q.personsAdmitted),
        formatNumber(q.medianWaitDays, 0),
      ]),
    );
    expect(rows[1]).toEqual(["2019Q1", "1,210", "1,150", "730", "60", "250", "250", "125", "601", "74"]);
  });

  it("computes cohort shares from the counts (shares of each column sum to 100 %)", () => {
    const rows = tableCells(run.html, "cohort-table-0");
    expect(rows[0]).toEqual([
      "age band",
      "Applicants",
      "Share of applicants",
      "Allotted",
      "Share of allotted",
      "Allotted per applicant",
    ]);
    // 30–34: 1,420 of 4,800 applicants = 29.6 %; 371 of 999 allotted = 37.1 %; 371 / 1,420 = 26.1 %
    expect(rows[3]).toEqual(["30–34", "1,420", "29.6 %", "371", "37.1 %", "26.1 %"]);
    const allottedShares = rows.slice(1).map((r) => Number(r[4]!.replace(" %", "")));
    expect(allottedShares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
  });

  it("keeps every histogram count in the score table", () => {
    const rows = tableCells(run.html, "scores-table");
    expect(rows[0]).toEqual(["points", "allotted", "passed, not allotted", "below pass mark"]);
    const total = rows
      .slice(1)
      .reduce((s, r) => s + r.slice(1).reduce((a, c) => a + Number(c.replace(/,/g, "")), 0), 0);
    const expected = runModel().scores.bins.reduce((s, b) => s + b.count, 0);
    expect(total).toBe(expected);
    expect(rows.find((r) => r[0] === "80–85")).toEqual(["80–85", "0", "389", "0"]);
  });

  it("gives every chart its own element ids, so inline SVGs do not borrow each other's gradients or clips", () => {
    for (const r of [run, compare, sweep]) {
      const ids = [...r.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
      expect(new Set(ids).size).toBe(ids.length);
      for (const m of r.html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
    }
    expect(sweep.html).toMatch(/id="chart-sweep-gradient_\d+"/);
  });

  it("answers who got in, with what scores and how long they waited in one paragraph", () => {
    expect(runAnswer(runModel())).toBe(
      "Of 4,800 applications, 999 (20.8 %) were allotted a place, admitting 2,396 persons with their dependants. " +
        "An allotted applicant needed at least 120 to 130 points depending on the exercise (pass mark 80); the median cutoff was 125. " +
        "Allotted applicants waited a median of 75 days from application to decision.",
    );
    expect(run.html).toContain(escapeHtml(runAnswer(runModel())));
  });

  it("says so when no exercise allotted anyone", () => {
    const m = runModel();
    m.scores.cutoffs = m.scores.cutoffs.map((c) => ({ ...c, score: null }));
    m.headline = { ...m.headline, allotted: 0, medianCutoff: null, medianWaitDays: null };
    expect(runAnswer(m)).toContain("No exercise allotted anyone (pass mark 80).");
  });

  it("shows confidence intervals with replications", () => {
    expect(replicated.html).toContain("200 replications");
    expect(replicated.html).toContain("95 % CI 122.5 to 127.5");
    const rows = tableCells(replicated.html, "quarters-table");
    expect(rows[0]).toContain("Cutoff 95 % CI");
    expect(rows[1]![rows[0]!.indexOf("Cutoff 95 % CI")]).toBe("122 to 128");
    expect(replicated.html).toContain("band: 95 % CI over replications");
  });

  it("is the same bytes for the same model, charts with gradients included", async () => {
    const again = await renderRunReport(runModel());
    expect(again.html).toBe(run.html);
    expect(again.markdown).toBe(run.markdown);
    expect((await renderSweepReport(sweepModel())).html).toBe(sweep.html);
  });

  it("writes report.html and summary.md atomically, leaving no temporary files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmas-report-"));
    try {
      const written = await writeRunReport(join(dir, "baseline"), runModel());
      expect(readdirSync(join(dir, "baseline")).sort()).toEqual(["report.html", "summary.md"]);
      expect(readFileSync(written.html, "utf8")).toBe(run.html);
      expect(readFileSync(written.markdown, "utf8")).toBe(run.markdown);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("compare report", () => {
  it("tabulates baseline, reform, difference and CI per metric, and the changed parameters", () => {
    const rows = tableCells(compare.html, "metrics-table");
    expect(rows[0]).toEqual([
      "Metric",
      "Baseline (baseline)",
      "Reform (quota-2000)",
      "Difference",
      "95 % CI of the difference",
      "Verdict",
    ]);
    expect(rows[1]).toEqual(["Allotted", "999.4", "1,996.1", "+996.7", "990.2 to 1,003.2", "higher"]);
    expect(rows[3]).toEqual(["Median cutoff (points)", "125", "105", "−20", "−22.5 to −17.5", "lower"]);
    expect(rows[4]![5]).toBe("no clear difference");
    expect(rows[5]![5]).toBe("no change");
    expect(compare.html).toContain("Unchanged in every replication: Backlog at the end.");
    expect(tableCells(compare.html, "changes-table")[1]).toEqual([
      "selection.quota.per_year",
      "1000",
      "2000",
    ]);
    expect(svgCount(compare.html)).toBe(2);
    expect(compare.markdown).toContain("| Allotted | 999.4 | 1,996.1 | +996.7 | 990.2 to 1,003.2 |");
  });
});

describe("sweep report", () => {
  it("draws a heatmap of the chosen metric and of the number allotted, and tabulates every cell", () => {
    expect(svgCount(sweep.html)).toBe(2);
    const rows = tableCells(sweep.html, "cells-table");
    expect(rows).toHaveLength(1 + 16);
    expect(rows[0]).toEqual([
      "selection.quota.per_year",
      "rules.pass_mark",
      "Allotted",
      "Median cutoff (points)",
    ]);
    expect(rows[1]).toEqual(["500", "70", "500 | 496 to 502", "148 | 145.5 to 150.5"]);
    // one rect per cell in each heatmap: the chosen metric and the number allotted
    expect((sweep.html.match(/aria-roledescription="rect mark"/g) ?? []).length).toBe(32);
  });

  it("names the lowest and highest cell", () => {
    expect(sweepAnswer(sweepModel())).toBe(
      "Median cutoff (points) ranges from 70 (selection.quota.per_year = 4000, rules.pass_mark = 70) to 148 (selection.quota.per_year = 500, rules.pass_mark = 70) over 16 cells.",
    );
  });

  it("rejects a chosen metric the cells do not have", async () => {
    const m = sweepModel();
    m.chosenMetric = "cutof";
    await expect(renderSweepReport(m)).rejects.toThrow(InputError);
  });

  it("draws small multiples for a third axis", async () => {
    const m = sweepModel();
    m.axes.push({ path: "assessment.capacity", values: [1000, 2000] });
    m.cells = m.cells.flatMap((c) =>
      [1000, 2000].map((cap) => ({ ...c, coordinates: { ...c.coordinates, "assessment.capacity": cap } })),
    );
    const r = await renderSweepReport(m);
    expect((r.html.match(/aria-roledescription="rect mark"/g) ?? []).length).toBe(64);
    expect(r.html).toContain("assessment.capacity = 2000");
  });
});

describe("charts rendered at the same time", () => {
  it("give the same bytes as one after the other (vega's SVG id counter is not shared)", async () => {
    const { renderVegaLiteSvg } = await import("../../src/report/html/vega.js");
    const heatmap = {
      data: {
        values: [
          { x: "a", y: "p", v: 1 },
          { x: "b", y: "p", v: 2 },
          { x: "a", y: "q", v: 3 },
        ],
      },
      mark: "rect" as const,
      encoding: {
        x: { field: "x", type: "nominal" as const },
        y: { field: "y", type: "nominal" as const },
        color: { field: "v", type: "quantitative" as const },
      },
    };
    const alone = await renderVegaLiteSvg(heatmap, "heatmap", "h");
    expect(alone).toContain("gradient");
    const together = await Promise.all([
      renderVegaLiteSvg(heatmap, "heatmap", "h"),
      renderVegaLiteSvg(heatmap, "heatmap", "h"),
    ]);
    expect(together).toEqual([alone, alone]);
  });
});
