import { join } from "node:path";
import { writeFileAtomic } from "../../atomic.js";
import { renderCompareReport } from "./compare.js";
import type {
  CompareReportModel,
  RenderedReport,
  ReportModel,
  RunReportModel,
  SweepReportModel,
} from "./models.js";
import { renderRunReport } from "./run.js";
import { renderSweepReport } from "./sweep.js";

export const REPORT_HTML = "report.html";
export const SUMMARY_MD = "summary.md";

export interface WrittenReport {
  html: string;
  markdown: string;
}

function writeBoth(outDir: string, rendered: RenderedReport): WrittenReport {
  const html = join(outDir, REPORT_HTML);
  const markdown = join(outDir, SUMMARY_MD);
  writeFileAtomic(html, rendered.html);
  writeFileAtomic(markdown, rendered.markdown);
  return { html, markdown };
}

/** Render a run report and write `report.html` and `summary.md` into `outDir` (atomically). Returns their paths. */
export async function writeRunReport(outDir: string, model: RunReportModel): Promise<WrittenReport> {
  return writeBoth(outDir, await renderRunReport(model));
}

export async function writeCompareReport(outDir: string, model: CompareReportModel): Promise<WrittenReport> {
  return writeBoth(outDir, await renderCompareReport(model));
}

export async function writeSweepReport(outDir: string, model: SweepReportModel): Promise<WrittenReport> {
  return writeBoth(outDir, await renderSweepReport(model));
}

/** Any of the three, by `model.kind`. */
export async function renderReport(model: ReportModel): Promise<RenderedReport> {
  switch (model.kind) {
    case "run":
      return renderRunReport(model);
    case "compare":
      return renderCompareReport(model);
    case "sweep":
      return renderSweepReport(model);
  }
}

export async function writeReport(outDir: string, model: ReportModel): Promise<WrittenReport> {
  return writeBoth(outDir, await renderReport(model));
}
