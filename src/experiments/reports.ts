import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { writeFileAtomic } from "../atomic.js";
import { type CsvValue, writeCsvFileSync, writeCsvRecords } from "../csv-writer.js";
import { InputError } from "../errors.js";
import { formatCount, LIMITS } from "../limits.js";
import { claimRunFolder, dropOldManifest, experimentIdentity } from "../run-folder.js";
import { formatValue } from "../scenario/diff.js";
import type { ResolvedScenario } from "../scenario/extends.js";
import { loadPublishedFigures } from "../validation/published.js";
import {
  VALIDATION_COLUMNS,
  type ValidationRow,
  validationCsvRows,
  validationRows,
} from "../validation/table.js";
import { changedParameters } from "./changes.js";
import { checkMemory } from "./estimate.js";
import { type ExperimentReport, type ExperimentRun, runExperiment } from "./experiment.js";
import { buildManifest, type ExperimentSpec, hashFile, inputFiles } from "./manifest.js";
import { compareSeries, summarizeSeries } from "./metrics.js";
import { sharedRuleBook, type ValidationUnit } from "./model.js";
import { writeExperimentHtmlReport } from "./report-models.js";
import { resolveScenario } from "./resolve.js";
import {
  comparisonTable,
  replicationHeader,
  replicationRecords,
  summaryTable,
  sweepTable,
} from "./tables.js";
import { defaultJobs } from "./workers.js";

/**
 * An experiment from its spec to its folder: resolve the scenarios, run the replications (same seeds
 * for every scenario), write the tables and manifest.json. `qmas-sim rerun` calls this again with the
 * spec stored in the manifest.
 *
 *   replicate → reports/<scenario>-replications/  replications.csv, summary.csv
 *   compare   → reports/<baseline>-vs-<reform>/   compare.csv, changes.csv, replications.csv
 *   sweep     → reports/<scenario>-sweep/         sweep.csv, sweep-metrics.csv, replications.csv
 * and in each: report.html and summary.md (src/report/html), manifest.json.
 */
export interface ReportOptions {
  /** output folder (default: under reports/, named after the experiment) */
  outDir?: string;
  jobs?: number;
  dataDir?: string;
  onProgress?: (done: number, total: number) => void;
  /** file URL of the model module (default: the compiled model beside the worker); tests use it */
  modelModule?: string;
  /** start workers only for this many seconds of estimated work (see executeTasks; default WORKERS_FROM_SECONDS) */
  workersFrom?: number;
  /** also write report.html and summary.md (src/report/html; default true) */
  html?: boolean;
  /** take the output folder even when it holds another run or other files */
  force?: boolean;
  /** memory budget in MB for the estimate checked before the runs (default: half the machine's memory) */
  maxMemoryMb?: number;
}

/** The files an experiment writes into its folder. */
function experimentFiles(command: ExperimentSpec["command"]): string[] {
  const tables: Record<ExperimentSpec["command"], string[]> = {
    replicate: ["summary.csv"],
    validate: ["summary.csv", "validation.csv"],
    compare: ["compare.csv", "changes.csv"],
    sweep: ["sweep.csv", "sweep-metrics.csv"],
  };
  return [...tables[command], "replications.csv", "report.html", "summary.md", "manifest.json"];
}

/** `--vary PATH=V1,V2,…`: values are YAML scalars (numbers, true/false, null, unlimited, text). */
export function parseVary(arg: string): { path: string; values: unknown[] } {
  const eq = arg.indexOf("=");
  if (eq <= 0 || eq === arg.length - 1) throw new InputError(`expects PATH=V1,V2,… (got '${arg}')`, "vary");
  const path = arg.slice(0, eq).trim();
  const values = arg
    .slice(eq + 1)
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "")
    .map(parseScalar);
  if (values.length === 0) throw new InputError(`${path}: no values`, "vary");
  return { path, values };
}

function parseScalar(text: string): unknown {
  if (text === "null") return null;
  if (text === "true") return true;
  if (text === "false") return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/** Every combination of the varied values, the last --vary changing fastest. */
export function sweepGrid(vary: readonly { path: string; values: readonly unknown[] }[]): unknown[][] {
  let cells: unknown[][] = [[]];
  for (const v of vary) cells = cells.flatMap((cell) => v.values.map((value) => [...cell, value]));
  return cells;
}

/** The folder an experiment writes to when no --out is given, under reports/. */
export function reportName(spec: ExperimentSpec, units: readonly ResolvedScenario[]): string {
  switch (spec.command) {
    case "replicate":
      return `${units[0]!.name}-replications`;
    case "validate":
      return `${units[0]!.name}-validation`;
    case "compare":
      return `${units[0]!.name}-vs-${units[1]!.name}`;
    case "sweep":
      return `${units[0]!.name.replace(/-cell0$/, "")}-sweep`;
  }
}

/** The scenarios an experiment runs, in its order: the scenario; baseline and reform; the sweep's cells. */
export function resolveUnits(spec: ExperimentSpec, dataDir: string): ResolvedScenario[] {
  switch (spec.command) {
    case "replicate":
      return [resolveScenario(spec.scenario, { dataDir })];
    case "validate": {
      const unit: ValidationUnit = {
        ...resolveScenario(spec.scenario, { dataDir }),
        figures: loadPublishedFigures(dataDir),
      };
      return [unit];
    }
    case "compare": {
      const units = [resolveScenario(spec.baseline, { dataDir }), resolveScenario(spec.reform, { dataDir })];
      if (units[0]!.name === units[1]!.name)
        throw new InputError(
          `baseline and reform are both named '${units[0]!.name}': give one a different name`,
        );
      return units;
    }
    case "sweep": {
      const cells = spec.vary.reduce((n, v) => n * v.values.length, 1);
      if (cells > LIMITS.sweepCells)
        throw new InputError(
          `--vary: ${spec.vary.map((v) => v.values.length).join(" × ")} = ${formatCount(cells)} cells, above the limit of ${formatCount(LIMITS.sweepCells)} cells per sweep`,
        );
      const seen = new Set<string>();
      for (const v of spec.vary) {
        if (seen.has(v.path)) throw new InputError(`${v.path} is given twice`, "vary");
        seen.add(v.path);
      }
      const base = resolveScenario(spec.scenario, { dataDir });
      return sweepGrid(spec.vary).map((values, i) =>
        resolveScenario(spec.scenario, {
          dataDir,
          extra: {
            label: "--vary",
            name: `${base.name}-cell${i}`,
            overrides: Object.fromEntries(spec.vary.map((v, k) => [v.path, values[k]])),
          },
        }),
      );
    }
  }
}

function cellValue(value: unknown): CsvValue {
  return typeof value === "number" ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    value === null
    ? value
    : JSON.stringify(value);
}

/** The rule-set ids of the data folder (what a scenario without rule overrides runs with). */
function bookIds(dataDir: string): string[] {
  // the book this thread's replications ran with (loaded once per thread; parsing it again cost ≈0.15 s)
  return sharedRuleBook(dataDir).ids;
}

/** The experiment's folder must be new, empty, or hold the same experiment (see claimRunFolder). */
function claimExperimentFolder(
  spec: ExperimentSpec,
  units: readonly ResolvedScenario[],
  outDir: string,
  dataDir: string,
  force: boolean | undefined,
): void {
  claimRunFolder({
    dir: outDir,
    outputs: experimentFiles(spec.command),
    inputs: inputFiles(units, dataDir),
    identity: experimentIdentity(
      spec.command,
      units.map((u) => u.name),
    ),
    force,
  });
}

export async function writeExperimentReport(
  spec: ExperimentSpec,
  opts: ReportOptions = {},
): Promise<ExperimentReport> {
  const dataDir = opts.dataDir ?? "data";
  checkReplications(spec);
  const units = resolveUnits(spec, dataDir);
  const runs = units.length * spec.replications;
  if (runs > LIMITS.experimentRuns)
    throw new InputError(
      `${units.length} scenario(s) × ${formatCount(spec.replications)} replications = ${formatCount(runs)} runs, above the limit of ${formatCount(LIMITS.experimentRuns)} runs per experiment`,
    );
  const jobs = opts.jobs ?? defaultJobs();
  checkMemory(spec.command, units, { threads: Math.min(jobs, runs), maxMemoryMb: opts.maxMemoryMb, dataDir });
  const outDir = opts.outDir ?? join("reports", reportName(spec, units));
  claimExperimentFolder(spec, units, outDir, dataDir, opts.force);
  const run = await runExperiment(units, {
    masterSeed: spec.seed,
    replications: spec.replications,
    jobs,
    dataDir,
    onProgress: opts.onProgress,
    modelModule: opts.modelModule,
    workersFrom: opts.workersFrom,
  });
  return writeExperimentFolder(spec, run, { outDir, dataDir, html: opts.html, force: opts.force });
}

export function checkReplications(spec: ExperimentSpec): void {
  if (!Number.isInteger(spec.replications) || spec.replications < 1)
    throw new InputError(`must be a positive integer (got ${spec.replications})`, "replications");
}

/**
 * The folder of an experiment whose replications have run (on this machine, or on many and merged):
 * the tables, report.html and summary.md, then manifest.json listing them.
 */
export async function writeExperimentFolder(
  spec: ExperimentSpec,
  run: ExperimentRun,
  opts: { outDir: string; dataDir: string; html?: boolean; force?: boolean },
): Promise<ExperimentReport> {
  const { outDir, dataDir } = opts;
  const units = run.units;
  // checked again for callers that come here directly (merge); the old manifest goes first
  claimExperimentFolder(spec, units, outDir, dataDir, opts.force);
  dropOldManifest(outDir);
  const written: string[] = [];
  const replications = async (header: string[], records: Iterable<string>) => {
    await writeCsvRecords(join(outDir, "replications.csv"), header, records);
    written.push("replications.csv");
  };
  const csvSmall = (name: string, header: string[], rows: CsvValue[][]) => {
    writeCsvFileSync(join(outDir, name), header, rows);
    written.push(name);
  };

  let validation: ValidationRow[] | undefined;
  if (spec.command === "replicate" || spec.command === "validate") {
    const summaries = summarizeSeries(run.series[0]!);
    const t = summaryTable(summaries);
    csvSmall("summary.csv", t.header, t.rows);
    await replications(
      replicationHeader(["scenario"]),
      replicationRecords([[units[0]!.name]], run.seeds, run.series),
    );
    if (spec.command === "validate") {
      validation = validationRows((units[0] as ValidationUnit).figures ?? [], summaries);
      csvSmall("validation.csv", [...VALIDATION_COLUMNS], validationCsvRows(validation));
    }
  } else if (spec.command === "compare") {
    const t = comparisonTable(compareSeries(run.series[0]!, run.series[1]!));
    csvSmall("compare.csv", t.header, t.rows);
    const changes = changedParameters(units[0]!, units[1]!, dataDir);
    csvSmall(
      "changes.csv",
      ["path", "baseline", "reform"],
      changes.map((c) => [c.path, formatValue(c.from), formatValue(c.to)]),
    );
    await replications(
      replicationHeader(["scenario"]),
      replicationRecords(
        units.map((u) => [u.name]),
        run.seeds,
        run.series,
      ),
    );
  } else {
    const grid = sweepGrid(spec.vary);
    const paths = spec.vary.map((v) => v.path);
    const cells = grid.map((values, i) => ({
      values: values.map(cellValue),
      summaries: summarizeSeries(run.series[i]!),
    }));
    const wide = sweepTable(paths, cells);
    csvSmall("sweep.csv", wide.header, wide.rows);
    const long = cells.flatMap(
      (cell, i) => summaryTable(cell.summaries, ["cell", ...paths], [i, ...cell.values]).rows,
    );
    csvSmall("sweep-metrics.csv", summaryTable([], ["cell", ...paths]).header, long);
    await replications(
      replicationHeader(["cell", ...paths]),
      replicationRecords(
        cells.map((c, i) => [i, ...c.values]),
        run.seeds,
        run.series,
      ),
    );
  }

  if (opts.html !== false) {
    // listed among the outputs, so a rerun checks the report's bytes too (every chart restarts vega's
    // process-wide SVG id counter, so the bytes do not depend on what this process rendered before)
    const page = await writeExperimentHtmlReport({
      outDir,
      files: [...written],
      run,
      spec,
      dataDir,
      ...(validation ? { validation } : {}),
    });
    written.push(basename(page.html), basename(page.markdown));
  }
  const outputs = written.sort().map((name) => ({ ...hashFile(join(outDir, name)), file: name }));
  const manifest = buildManifest({
    experiment: { ...spec, data_dir: dataDir },
    seeds: run.seeds,
    units,
    ruleSetIds: bookIds(dataDir),
    outputs,
  });
  writeFileAtomic(join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  written.push("manifest.json");
  return { outDir, files: written, run, manifest, ...(validation ? { validation } : {}) };
}

/** Every regular file of a folder with its bytes, for byte-for-byte comparisons. */
export function folderContents(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue;
    out.set(name, readFileSync(join(dir, name)));
  }
  return out;
}
