import { once } from "node:events";
import { createWriteStream, existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { GENERATOR_ALGORITHM } from "../applicants/generate/index.js";
import { tempPathFor, writeFileAtomic } from "../atomic.js";
import { type CsvValue, csvCell, writeCsvFileSync } from "../csv-writer.js";
import { formatIsoDay, formatQuarter } from "../dates.js";
import { outputError } from "../errors.js";
import { sha256File } from "../file-hash.js";
import { packageVersion } from "../paths.js";
import { RNG_ALGORITHM } from "../random.js";
import {
  principalIndexOf,
  RESIDENCE_COLUMNS,
  RESIDENCE_RNG_ALGORITHM,
  RESIDENCE_STATES,
  type ResidenceResult,
  residenceCohorts,
  residenceQuarters,
  residenceTotals,
  stateAt,
} from "../residence/index.js";
import { ROUTES } from "../rules/types.js";
import { dropOldManifest } from "../run-folder.js";
import { cohortTable, ROUND_METRICS, type RunSummary, summarizeRun } from "./metrics.js";
import type { ScenarioRun } from "./run.js";
import { DECISIONS } from "./timeline.js";

export const DECISION_COLUMNS = [
  "id",
  "applied_on",
  "arrival_quarter",
  "assessment_quarter",
  "rule_set",
  "route",
  "total",
  "rank",
  "decision",
  "decision_quarter",
  "wait_days",
  "persons",
] as const;

/** Columns decisions.csv gains when the run has a residence pipeline: each allotted principal's path. */
export const DECISION_RESIDENCE_COLUMNS = ["arrived_on", "exit_on", "residence_state"] as const;

/**
 * Per application, the residence cells of decisions.csv as text (",arrived_on,exit_on,state"), read at
 * the horizon: dates after it are not yet known, the state is the one at its end. Empty cells for
 * applications not allotted; null when the run has no residence pipeline.
 */
function residenceSuffix(run: ScenarioRun): ((g: number) => string) | null {
  const r = run.residence;
  if (!r) return null;
  const index = principalIndexOf(r, run.result.apps.size);
  const end = r.horizonEndDay;
  const p = r.paths;
  const date = (d: number) => (d >= 0 && d <= end ? formatIsoDay(d) : "");
  return (g) => {
    const i = index[g]!;
    if (i < 0) return ",,,";
    const exit = p.exitDay[i]!;
    return `,${date(p.arrivalDay[i]!)},${date(exit)},${RESIDENCE_STATES[stateAt(p, i, end)]}`;
  };
}

export const ROUND_COLUMNS = ["quarter", "exercise", ...ROUND_METRICS] as const;
export const COHORT_COLUMNS = [
  "dimension",
  "group",
  "applications",
  "assessed",
  "passed",
  "allotted",
  "share_of_applications",
  "share_of_allotted",
  "allotment_rate",
] as const;

/**
 * Text of the quarters and days of decisions.csv: few distinct values, millions of rows, so each is
 * formatted once. Shared by the row generator and the fast writer so both write the same text.
 */
function decisionCellText(run: ScenarioRun): { q: (rel: number) => string; day: (d: number) => string } {
  const first = run.result.policy.firstQuarter;
  const quarterText = new Map<number, string>();
  const dayText = new Map<number, string>();
  return {
    q: (rel) => {
      if (rel < 0) return "";
      let t = quarterText.get(rel);
      if (t === undefined) {
        t = formatQuarter(first + rel);
        quarterText.set(rel, t);
      }
      return t;
    },
    day: (d) => {
      let t = dayText.get(d);
      if (t === undefined) {
        t = formatIsoDay(d);
        dayText.set(d, t);
      }
      return t;
    },
  };
}

/** Rows of decisions.csv, one per application in application-number order. */
export function* decisionRows(run: ScenarioRun): Generator<CsvValue[]> {
  const r = run.result;
  const apps = r.apps;
  const { q, day } = decisionCellText(run);
  const suffix = residenceSuffix(run);
  for (let g = 0; g < apps.size; g++) {
    const assessed = r.assessmentQuarter[g]! >= 0;
    const row: CsvValue[] = [
      apps.idOf(g),
      day(apps.appliedOn[g]!),
      q(r.arrivalQuarter[g]!),
      q(r.assessmentQuarter[g]!),
      apps.ruleSetIds[apps.ruleSet[g]!]!,
      ROUTES[apps.route[g]!]!,
      assessed ? apps.total[g]! : "",
      r.rank[g]! > 0 ? r.rank[g]! : "",
      DECISIONS[r.decision[g]!]!,
      q(r.decisionQuarter[g]!),
      r.waitDays[g]! >= 0 ? r.waitDays[g]! : "",
      apps.persons[g]!,
    ];
    if (suffix) row.push(...suffix(g).slice(1).split(","));
    yield row;
  }
}

/** The header of decisions.csv for a run (with the residence columns when it has them). */
export function decisionColumns(run: ScenarioRun): string[] {
  return run.residence ? [...DECISION_COLUMNS, ...DECISION_RESIDENCE_COLUMNS] : [...DECISION_COLUMNS];
}

function cell(v: number): CsvValue {
  if (v === Number.POSITIVE_INFINITY) return "unlimited";
  return Number.isFinite(v) ? v : "";
}

/** Six decimals: enough for shares, and the same text on every machine. */
function share(v: number): CsvValue {
  return Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : "";
}

export function roundRows(run: ScenarioRun): CsvValue[][] {
  return run.result.rounds.map((m) => [
    formatQuarter(m.quarter),
    m.exercise ? 1 : 0,
    ...ROUND_METRICS.map((k) => cell(m[k])),
  ]);
}

export function cohortRows(run: ScenarioRun): CsvValue[][] {
  return cohortTable(run.result).map((c) => [
    c.dimension,
    c.group,
    c.applications,
    c.assessed,
    c.passed,
    c.allotted,
    share(c.share_of_applications),
    share(c.share_of_allotted),
    share(c.allotment_rate),
  ]);
}

export function residenceRows(run: ScenarioRun): CsvValue[][] {
  if (!run.residence) return [];
  return residenceQuarters(run.residence).map((r) => [
    formatQuarter(r.quarter),
    r.allotted_to_date,
    r.awaiting_arrival,
    r.never_arrived,
    r.in_hk,
    r.left_hk,
    r.permanent_resident,
    r.persons_in_hk,
  ]);
}

/** Columns of cohorts.csv: per allotment year, counts of principals and of persons (with dependants). */
export function residenceCohortColumns(run: ScenarioRun): string[] {
  const ext = run.residence?.paths.plan.maxExtensions ?? 0;
  const perExtension: string[] = [];
  for (let k = 1; k <= ext; k++) perExtension.push(`extension_${k}_applied`, `extension_${k}_granted`);
  return [
    "allotment_year",
    "allotted",
    "persons",
    "arrived",
    "persons_arrived",
    ...perExtension,
    "in_hk_after_7y",
    "persons_in_hk_after_7y",
    "permanent_residents",
    "persons_permanent_residents",
  ];
}

export function residenceCohortRows(run: ScenarioRun): CsvValue[][] {
  if (!run.residence) return [];
  return residenceCohorts(run.residence).map((c) => [
    c.year,
    c.allotted,
    c.persons,
    c.arrived,
    c.persons_arrived,
    ...c.applied.flatMap((a, k) => [a, c.granted[k]!]),
    cell(c.in_hk_after_7y),
    cell(c.persons_in_hk_after_7y),
    c.permanent_residents,
    c.persons_permanent_residents,
  ]);
}

/** Every file a run folder may hold besides manifest.json (residence.csv and cohorts.csv with residence). */
export const RUN_REPORT_FILES = [
  "decisions.csv",
  "rounds.csv",
  "cohort.csv",
  "residence.csv",
  "cohorts.csv",
  "report.html",
  "summary.md",
];

/** The files this run writes besides manifest.json, in the manifest's order. */
export function runReportFiles(run: ScenarioRun): string[] {
  return RUN_REPORT_FILES.filter((f) => run.residence || (f !== "residence.csv" && f !== "cohorts.csv"));
}

/** manifest.json: what produced the folder. No wall-clock time, so the same run gives the same bytes. */
export function manifestOf(
  run: ScenarioRun,
  summary: RunSummary = summarizeRun(run.result),
  outputHashes?: Record<string, string>,
): Record<string, unknown> {
  const used = run.result.apps.ruleSetIds;
  return {
    tool: "qmas-sim",
    version: packageVersion(),
    scenario: run.scenario,
    seed: run.seed,
    rng: RNG_ALGORITHM,
    ...(run.inputs.spec ? { generator: GENERATOR_ALGORITHM } : {}),
    rule_sets: used.map((id) => {
      const rs = run.inputs.ruleBook.get(id);
      return {
        id,
        title: rs.title,
        effective_from: rs.effective_from,
        effective_to: rs.effective_to,
        sources: rs.sources,
      };
    }),
    inputs: run.inputs.files,
    outputs: runReportFiles(run),
    // written last, after every output: a folder whose files do not have these hashes is not this run
    ...(outputHashes ? { output_sha256: outputHashes } : {}),
    summary,
    ...(run.residence ? { residence: residenceManifest(run.residence, run.inputs.residence!.data.id) } : {}),
  };
}

/** What the manifest says of the residence pipeline: its data, horizon, stream and whole-run figures. */
function residenceManifest(r: ResidenceResult, dataId: string): Record<string, unknown> {
  return {
    data: dataId,
    horizon_end: formatIsoDay(r.horizonEndDay),
    rng: RESIDENCE_RNG_ALGORITHM,
    seed_path: ["<run seed>", "residence", "<application number>"],
    totals: residenceTotals(r),
  };
}

/** A text cell as csv-stringify would write it: formulas neutralised, quoted when it holds , " or a line break. */
function textCell(text: string): string {
  const t = csvCell(text);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/**
 * decisions.csv, written atomically. Rows are built as text by hand and written in large chunks: a
 * general CSV library spends seconds on a million rows, and every cell here but the id is a number or
 * a known key. The bytes are those csv-stringify would write for the same rows.
 */
export async function writeDecisionsCsv(run: ScenarioRun, path: string): Promise<void> {
  const r = run.result;
  const apps = r.apps;
  const { q, day: dayOf } = decisionCellText(run);
  const ruleSets = apps.ruleSetIds.map(textCell);
  const routes = ROUTES.map(textCell);
  const decisions = DECISIONS.map(textCell);
  const tmp = tempPathFor(path);
  const out = createWriteStream(tmp);
  try {
    const suffix = residenceSuffix(run);
    let chunk = `${decisionColumns(run).join(",")}\n`;
    for (let g = 0; g < apps.size; g++) {
      const day = dayOf(apps.appliedOn[g]!);
      const assessed = r.assessmentQuarter[g]!;
      const rank = r.rank[g]!;
      const wait = r.waitDays[g]!;
      chunk += `${textCell(apps.idOf(g))},${day},${q(r.arrivalQuarter[g]!)},${q(assessed)},${ruleSets[apps.ruleSet[g]!]},${routes[apps.route[g]!]},${assessed >= 0 ? apps.total[g]! : ""},${rank > 0 ? rank : ""},${decisions[r.decision[g]!]},${q(r.decisionQuarter[g]!)},${wait >= 0 ? wait : ""},${apps.persons[g]!}${suffix ? suffix(g) : ""}\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, "drain");
        chunk = "";
      }
    }
    out.end(chunk);
    await finished(out);
    await rename(tmp, path);
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw outputError(path, err);
  }
}

/**
 * Write decisions.csv, rounds.csv, cohort.csv, (with residence) residence.csv and cohorts.csv, and
 * manifest.json into `dir`, each atomically. An old manifest.json goes first and the new one comes
 * last, after `beforeManifest` (which writes the report), with the sha256 of every output there: an
 * interrupted run leaves a folder without a manifest, never one that looks complete.
 */
export async function writeRunOutputs(
  run: ScenarioRun,
  dir: string,
  opts: { beforeManifest?: (summary: RunSummary) => Promise<void> } = {},
): Promise<{ files: string[]; summary: RunSummary }> {
  const summary = summarizeRun(run.result);
  const files = ["decisions.csv", "rounds.csv", "cohort.csv", "manifest.json"].map((f) => join(dir, f));
  dropOldManifest(dir);
  await writeDecisionsCsv(run, files[0]!);
  writeCsvFileSync(files[1]!, ROUND_COLUMNS, roundRows(run));
  writeCsvFileSync(files[2]!, COHORT_COLUMNS, cohortRows(run));
  if (run.residence) {
    const residence = join(dir, "residence.csv");
    const cohorts = join(dir, "cohorts.csv");
    writeCsvFileSync(residence, RESIDENCE_COLUMNS, residenceRows(run));
    writeCsvFileSync(cohorts, residenceCohortColumns(run), residenceCohortRows(run));
    files.splice(3, 0, residence, cohorts);
  }
  await opts.beforeManifest?.(summary);
  const hashes: Record<string, string> = {};
  for (const name of runReportFiles(run))
    if (existsSync(join(dir, name))) hashes[name] = sha256File(join(dir, name));
  writeFileAtomic(files[files.length - 1]!, `${JSON.stringify(manifestOf(run, summary, hashes), null, 2)}\n`);
  return { files, summary };
}
