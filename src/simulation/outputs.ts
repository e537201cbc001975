import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GENERATOR_ALGORITHM } from "../applicants/generate.js";
import { writeFileAtomic } from "../atomic.js";
import { formatIsoDay, formatQuarter } from "../dates.js";
import { RNG_ALGORITHM } from "../random.js";
import { type CsvValue, writeCsvFile, writeCsvFileSync } from "../report/csv.js";
import { ROUTES } from "../rules/types.js";
import { cohortTable, ROUND_METRICS, type RunSummary, summarize } from "./metrics.js";
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

/** Rows of decisions.csv, one per application in application-number order. */
export function* decisionRows(run: ScenarioRun): Generator<CsvValue[]> {
  const r = run.result;
  const apps = r.apps;
  const first = r.policy.firstQuarter;
  // Few distinct days and quarters, millions of rows: format each once.
  const quarterText = new Map<number, string>();
  const q = (rel: number) => {
    if (rel < 0) return "";
    let t = quarterText.get(rel);
    if (t === undefined) {
      t = formatQuarter(first + rel);
      quarterText.set(rel, t);
    }
    return t;
  };
  const dayText = new Map<number, string>();
  const day = (d: number) => {
    let t = dayText.get(d);
    if (t === undefined) {
      t = formatIsoDay(d);
      dayText.set(d, t);
    }
    return t;
  };
  for (let g = 0; g < apps.size; g++) {
    const assessed = r.assessmentQuarter[g]! >= 0;
    yield [
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
  }
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
  return run.result.rounds.map((m) => [formatQuarter(m.quarter), m.exercise ? 1 : 0, ...ROUND_METRICS.map((k) => cell(m[k]))]);
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

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** manifest.json: what produced the folder. No wall-clock time, so the same run gives the same bytes. */
export function manifestOf(run: ScenarioRun, summary: RunSummary = summarize(run.result)): Record<string, unknown> {
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
      return { id, title: rs.title, effective_from: rs.effective_from, effective_to: rs.effective_to, sources: rs.sources };
    }),
    inputs: run.inputs.files,
    outputs: ["decisions.csv", "rounds.csv", "cohort.csv"],
    summary,
  };
}

/** Write decisions.csv, rounds.csv, cohort.csv and manifest.json into `dir`, each atomically. */
export async function writeRunOutputs(run: ScenarioRun, dir: string): Promise<{ files: string[]; summary: RunSummary }> {
  const summary = summarize(run.result);
  const files = ["decisions.csv", "rounds.csv", "cohort.csv", "manifest.json"].map((f) => join(dir, f));
  await writeCsvFile(files[0]!, DECISION_COLUMNS, decisionRows(run));
  writeCsvFileSync(files[1]!, ROUND_COLUMNS, roundRows(run));
  writeCsvFileSync(files[2]!, COHORT_COLUMNS, cohortRows(run));
  writeFileAtomic(files[3]!, `${JSON.stringify(manifestOf(run, summary), null, 2)}\n`);
  return { files, summary };
}
