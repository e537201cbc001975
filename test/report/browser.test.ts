import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderChancesReport } from "../../src/report/html/chances.js";
import type { ReportModel } from "../../src/report/html/models.js";
import { writeReport } from "../../src/report/html/write.js";
import { chancesModel } from "../chances/fixtures.js";
import { compareModel, replicatedRunModel, runModel, sweepModel } from "./fixtures.js";

/**
 * End to end: the generated report.html opened in a real headless Chromium (Debian's package; CI
 * installs it). Checks every chart drew marks, the console stayed clean, and the page asked the
 * network for nothing. Screenshots land in test/.out/report/ for a person to look at.
 */

const CHROMIUM = "/usr/bin/chromium";
const OUT = resolve("test/.out/report");
const hasChromium = existsSync(CHROMIUM);
const title = hasChromium
  ? "report.html in headless Chromium"
  : `report.html in headless Chromium — SKIPPED: ${CHROMIUM} is missing (install it: apt-get install -y chromium)`;

interface PageCheck {
  charts: { id: string; marks: number; width: number; height: number }[];
  figures: number;
  tables: number;
  consoleErrors: string[];
  requests: string[];
}

describe.skipIf(!hasChromium)(title, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function openReport(
    name: string,
    model: ReportModel | string,
    screenshot = true,
  ): Promise<PageCheck> {
    const dir = join(OUT, name);
    let file: string;
    if (typeof model === "string") {
      file = join(dir, "report.html");
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, model);
    } else {
      file = (await writeReport(dir, model)).html;
    }
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, offline: true });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error" || msg.type() === "warning")
        consoleErrors.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on("pageerror", (err) => consoleErrors.push(`pageerror: ${err.message}`));
    page.on("request", (req) => {
      if (req.url() !== url) requests.push(req.url());
    });
    try {
      await page.goto(url, { waitUntil: "load" });
      const charts = await page.$$eval("figure svg", (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const marks = svg.querySelectorAll(
            "g[class*='role-mark'] path, g[class*='role-mark'] rect, g[class*='role-mark'] line, g[class*='role-mark'] circle",
          ).length;
          return { id: svg.closest("figure")?.id ?? "", marks, width: box.width, height: box.height };
        }),
      );
      const figures = await page.locator("figure").count();
      const tables = await page.locator("table").count();
      if (screenshot) await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
      return { charts, figures, tables, consoleErrors, requests };
    } finally {
      await context.close();
    }
  }

  function expectRendered(check: PageCheck, expectedCharts: number): void {
    expect(check.figures).toBe(expectedCharts);
    expect(check.charts).toHaveLength(expectedCharts);
    for (const chart of check.charts) {
      expect(chart.marks, `${chart.id} has marks`).toBeGreaterThan(0);
      expect(chart.width, `${chart.id} is laid out`).toBeGreaterThan(150);
      expect(chart.height, `${chart.id} is laid out`).toBeGreaterThan(80);
    }
    expect(check.consoleErrors).toEqual([]);
    expect(check.requests).toEqual([]);
  }

  it("run report: 9 charts drawn, tables present, no console errors, no network", async () => {
    const check = await openReport("run", runModel());
    expectRendered(check, 9);
    expect(check.tables).toBe(1 + 1 + 1 + 4 + 1); // scores, waits, quarters, 4 cohorts, provenance
    const ids = check.charts.map((c) => c.id);
    expect(ids).toEqual([
      "chart-scores",
      "chart-waits",
      "chart-cutoff",
      "chart-allotted",
      "chart-backlog",
      "chart-cohort-0",
      "chart-cohort-1",
      "chart-cohort-2",
      "chart-cohort-3",
    ]);
    // the histogram has one rectangle per (bin, outcome) in the model
    const bars = check.charts.find((c) => c.id === "chart-scores")!.marks;
    expect(bars).toBeGreaterThanOrEqual(runModel().scores.bins.length);
  });

  it("run report with replications: bands and whiskers drawn", async () => {
    expectRendered(await openReport("run-replicated", replicatedRunModel(), false), 9);
  });

  it("compare report: differences and series charts drawn", async () => {
    expectRendered(await openReport("compare", compareModel()), 2);
  });

  it("sweep report: heatmaps drawn", async () => {
    const check = await openReport("sweep", sweepModel());
    expectRendered(check, 2);
    expect(check.charts[0]!.marks).toBeGreaterThanOrEqual(16);
  });

  it("chances report: probability curves with bands and the cutoff fan drawn", async () => {
    const check = await openReport("chances", await renderChancesReport(chancesModel()));
    expectRendered(check, 2);
    expect(check.charts.map((c) => c.id)).toEqual(["chart-chances", "chart-cutoffs"]);
  });

  it("the checks catch a page that loads something or logs an error (guards the guard)", async () => {
    const page =
      '<!DOCTYPE html><title>t</title><img src="https://example.invalid/x.png" alt=""><script>console.error("boom")</script>';
    const check = await openReport("tampered", page, false);
    expect(check.requests).toEqual(["https://example.invalid/x.png"]);
    expect(check.consoleErrors.some((e) => e.includes("boom"))).toBe(true);
  });
});
