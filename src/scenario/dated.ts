import { parseIsoDay, quarterOfDay, quarterStartDay } from "../dates.js";
import { didYouMean } from "../did-you-mean.js";
import { ScenarioError } from "../errors.js";
import { DATED_KEYS, type DatedEntry, type DatedKey, type Scenario } from "./schema.js";

/**
 * Dated values: everything that changed over the scheme's life (applications per quarter, the pool,
 * assessment capacity, the committee, the quota…) can change by date in one scenario. A scenario holds
 * its values for the start of the period and a `timeline` of dated entries; each entry sets some of
 * the DATED_KEYS from its date on. One schema for every key, so `show` can list them all and a what-if
 * can override any of them.
 */

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function getPath(obj: Record<string, unknown>, key: string): unknown {
  let at: unknown = obj;
  for (const part of key.split(".")) at = isRecord(at) ? at[part] : undefined;
  return at;
}

function setPath(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split(".");
  let at = obj;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    const copy = isRecord(next) ? { ...next } : {};
    at[part] = copy;
    at = copy;
  }
  at[parts[parts.length - 1]!] = value;
}

/**
 * Check the order and keys of a timeline before its values are validated: dates strictly increasing
 * (two entries on one day overlap: merge them), every key a dated key, no entry empty.
 * `periodDays`: the run's first and last day, when the scenario fixes its period.
 */
export function checkTimelineShape(
  timeline: readonly DatedEntry[],
  file: string,
  periodDays: { from: number; to: number } | null,
): void {
  let previous: string | undefined;
  timeline.forEach((entry, i) => {
    const at = `timeline.${i}`;
    if (previous !== undefined && entry.from <= previous) {
      throw new ScenarioError(
        file,
        `${at}.from`,
        entry.from === previous
          ? `two entries are dated ${entry.from}: they overlap; merge them into one`
          : `${entry.from} comes after ${previous}: list the entries in date order`,
      );
    }
    previous = entry.from;
    if (periodDays) {
      const day = parseIsoDay(entry.from);
      if (day <= periodDays.from || day > periodDays.to) {
        throw new ScenarioError(
          file,
          `${at}.from`,
          day <= periodDays.from
            ? `${entry.from} is not after the period's start: put the value in the scenario itself`
            : `${entry.from} is after the period's end`,
        );
      }
    }
    const keys = Object.keys(entry.set);
    if (keys.length === 0) throw new ScenarioError(file, `${at}.set`, "sets nothing");
    for (const key of keys) {
      if (!(DATED_KEYS as readonly string[]).includes(key)) {
        const meant = didYouMean(key, DATED_KEYS, "any");
        throw new ScenarioError(
          file,
          `${at}.set.${key}`,
          `cannot change by date${meant ? "" : ` (dated keys: ${DATED_KEYS.join(", ")})`}`,
          meant,
        );
      }
    }
  });
}

/**
 * The scenario document with every timeline entry up to and including `index` applied: what
 * validation checks for each entry, so a bad value is reported with the same words as anywhere else.
 */
export function documentAfter(base: Record<string, unknown>, timeline: readonly DatedEntry[], index: number) {
  const doc: Record<string, unknown> = { ...base, timeline: [] };
  for (let i = 0; i <= index; i++)
    for (const [key, value] of Object.entries(timeline[i]!.set)) setPath(doc, key, value);
  return doc;
}

/** The values of the dated keys in force on each quarter of a run (the quarter's last day decides). */
export interface QuarterValues {
  arrivalsPerQuarter: number;
  spec: string | undefined;
  seasonal: readonly number[];
  assessmentCapacity: number | null;
  assessmentLagQuarters: number;
  withdrawalPerQuarter: number;
  committee: Scenario["committee"];
  passMark: number | null;
  exercisesPerYear: 1 | 2 | 4;
  /** yearly quota from the timeline (quota.changes are applied by the quota module) */
  quotaPerYear: Scenario["quota"]["per_year"];
}

function valuesOf(s: Scenario): QuarterValues {
  return {
    arrivalsPerQuarter: s.pool.arrivals_per_quarter ?? 0,
    spec: s.pool.spec,
    seasonal: s.pool.seasonal,
    assessmentCapacity: s.assessment_capacity,
    assessmentLagQuarters: s.assessment_lag_quarters,
    withdrawalPerQuarter: s.withdrawal_per_quarter,
    committee: s.committee,
    passMark: s.pass_mark,
    exercisesPerYear: s.exercises_per_year,
    quotaPerYear: s.quota.per_year,
  };
}

const FIELD_OF: Record<DatedKey, keyof QuarterValues> = {
  "pool.arrivals_per_quarter": "arrivalsPerQuarter",
  "pool.spec": "spec",
  "pool.seasonal": "seasonal",
  assessment_capacity: "assessmentCapacity",
  assessment_lag_quarters: "assessmentLagQuarters",
  withdrawal_per_quarter: "withdrawalPerQuarter",
  committee: "committee",
  pass_mark: "passMark",
  exercises_per_year: "exercisesPerYear",
  "quota.per_year": "quotaPerYear",
};

/**
 * Per quarter of the run, the dated values in force on its last day. Entries hold validated values
 * (validateScenario checked each against the scenario schema, defaults filled in).
 */
export function quarterValues(scenario: Scenario, firstQuarter: number, quarters: number): QuarterValues[] {
  const entries = scenario.timeline.map((e) => ({ day: parseIsoDay(e.from), set: e.set }));
  const out: QuarterValues[] = [];
  let current = valuesOf(scenario);
  let next = 0;
  for (let k = 0; k < quarters; k++) {
    const lastDay = quarterStartDay(firstQuarter + k + 1) - 1;
    while (next < entries.length && entries[next]!.day <= lastDay) {
      current = { ...current };
      for (const [key, value] of Object.entries(entries[next]!.set))
        (current as unknown as Record<string, unknown>)[FIELD_OF[key as DatedKey]] = value;
      next++;
    }
    out.push(current);
  }
  return out;
}

/**
 * Every dated value of a scenario, as rows for `show`: date, key, value, in date order. The quota's own
 * dated `changes` are listed with the timeline's (they are the same thing: quota.per_year by date).
 */
export function timelineRows(scenario: Scenario): { from: string; key: string; value: unknown }[] {
  const rows = [
    ...scenario.quota.changes.map((c) => ({
      from: c.from,
      key: "quota.per_year",
      value: c.per_year as unknown,
    })),
    ...scenario.timeline.flatMap((e) =>
      Object.entries(e.set).map(([key, value]) => ({ from: e.from, key, value })),
    ),
  ];
  // stable: on one day, the quota's changes first, then the timeline's keys in their written order
  return rows.sort((a, b) => a.from.localeCompare(b.from));
}

/** The quarter a dated entry first governs (the quarter containing its date). */
export function firstQuarterOf(entry: DatedEntry): number {
  return quarterOfDay(parseIsoDay(entry.from));
}

export { getPath, setPath };
