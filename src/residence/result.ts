import { quarterStartDay } from "../dates.js";
import { addMonths, quarterOf } from "./calendar.js";
import {
  AWAITING,
  expiryDay,
  IN_HK,
  LEFT_HK,
  NEVER_ARRIVED,
  NOT_YET,
  PERMANENT,
  RESIDENCE_STATES,
  type ResidencePaths,
  stateAt,
} from "./simulate.js";

/**
 * A run's residence pipeline read at dates: the stock by state each quarter, per-cohort counts and
 * the whole-run figures. Quarters run from the run's first quarter to the horizon's; principals are
 * counted at the end of each quarter.
 */
export interface ResidenceResult {
  paths: ResidencePaths;
  /** quarter index of the first row of the stock table */
  firstQuarter: number;
  /** rows of the stock table */
  quarters: number;
  /** last day simulated: the end of the last quarter */
  horizonEndDay: number;
  /** per quarter and state (RESIDENCE_STATES order): principals, then persons; [quarter * 5 + state] */
  stock: Float64Array;
  personsStock: Float64Array;
}

const STATES = RESIDENCE_STATES.length;

/** Build the quarterly stock of principals and persons by state (one pass over the principals). */
export function readResidence(
  paths: ResidencePaths,
  firstQuarter: number,
  quarters: number,
): ResidenceResult {
  const stock = new Float64Array((quarters + 1) * STATES);
  const personsStock = new Float64Array((quarters + 1) * STATES);
  const { approvedOn, persons, count } = paths.principals;
  const { arrivalDay, giveUpDay, permanentDay, exitDay } = paths;
  // each change of state is entered in the quarter it happens (from → to), then summed over quarters;
  // changes after the last quarter are left out
  const move = (day: number, from: number, to: number, w: number): void => {
    const q = quarterOf(day) - firstQuarter;
    if (q >= quarters) return;
    const k = (q > 0 ? q : 0) * STATES;
    if (from >= 0) {
      stock[k + from]! -= 1;
      personsStock[k + from]! -= w;
    }
    stock[k + to]! += 1;
    personsStock[k + to]! += w;
  };
  for (let i = 0; i < count; i++) {
    const w = persons[i]!;
    move(approvedOn[i]!, -1, AWAITING, w);
    const arrival = arrivalDay[i]!;
    if (arrival < 0) move(giveUpDay[i]!, AWAITING, NEVER_ARRIVED, w);
    else {
      move(arrival, AWAITING, IN_HK, w);
      if (permanentDay[i]! >= 0) move(permanentDay[i]!, IN_HK, PERMANENT, w);
      else if (exitDay[i]! >= 0) move(exitDay[i]!, IN_HK, LEFT_HK, w);
    }
  }
  for (let k = STATES; k < quarters * STATES; k++) {
    stock[k]! += stock[k - STATES]!;
    personsStock[k]! += personsStock[k - STATES]!;
  }
  return {
    paths,
    firstQuarter,
    quarters,
    horizonEndDay: quarterStartDay(firstQuarter + quarters) - 1,
    stock: stock.subarray(0, quarters * STATES),
    personsStock: personsStock.subarray(0, quarters * STATES),
  };
}

/** One row of residence.csv. */
export interface ResidenceQuarter {
  quarter: number;
  allotted_to_date: number;
  awaiting_arrival: number;
  never_arrived: number;
  in_hk: number;
  left_hk: number;
  permanent_resident: number;
  /** principals in Hong Kong (in_hk or permanent_resident) with their dependants */
  persons_in_hk: number;
}

export const RESIDENCE_COLUMNS = [
  "quarter",
  "allotted_to_date",
  ...RESIDENCE_STATES,
  "persons_in_hk",
] as const;

export function residenceQuarters(r: ResidenceResult): ResidenceQuarter[] {
  const rows: ResidenceQuarter[] = [];
  for (let q = 0; q < r.quarters; q++) {
    const s = (k: number) => r.stock[q * STATES + k]!;
    rows.push({
      quarter: r.firstQuarter + q,
      allotted_to_date: s(0) + s(1) + s(2) + s(3) + s(4),
      awaiting_arrival: s(AWAITING),
      never_arrived: s(NEVER_ARRIVED),
      in_hk: s(IN_HK),
      left_hk: s(LEFT_HK),
      permanent_resident: s(PERMANENT),
      persons_in_hk: r.personsStock[q * STATES + IN_HK]! + r.personsStock[q * STATES + PERMANENT]!,
    });
  }
  return rows;
}

/** Whether principal i is in Hong Kong (in_hk or permanent resident) at the end of `day`. */
function inHk(paths: ResidencePaths, i: number, day: number): boolean {
  const s = stateAt(paths, i, day);
  return s === IN_HK || s === PERMANENT;
}

/** The same calendar day `years` later. */
function addYears(day: number, years: number): number {
  return addMonths(day, 12 * years);
}

/** One row of cohorts.csv: the principals allotted in one calendar year, and their persons. */
export interface ResidenceCohort {
  year: number;
  allotted: number;
  persons: number;
  arrived: number;
  persons_arrived: number;
  /** per extension (first, second, …): applied for and granted by the horizon */
  applied: number[];
  granted: number[];
  /** in Hong Kong 7 years after allotment (NaN when that date is beyond the horizon for anyone) */
  in_hk_after_7y: number;
  persons_in_hk_after_7y: number;
  permanent_residents: number;
  persons_permanent_residents: number;
  /** share in Hong Kong by whole years since allotment (0 …); NaN once beyond the horizon for anyone */
  survival: number[];
}

/** Per allotment year, counted at the horizon (extensions, permanent residents) or at 7 years. */
export function residenceCohorts(r: ResidenceResult): ResidenceCohort[] {
  const paths = r.paths;
  const { approvedOn, persons } = paths.principals;
  const end = r.horizonEndDay;
  const ext = paths.plan.maxExtensions;
  const byYear = new Map<number, ResidenceCohort>();
  let first = end;
  for (let i = 0; i < paths.principals.count; i++) if (approvedOn[i]! < first) first = approvedOn[i]!;
  const yearsSpan = Math.floor((end - first) / 365.25) + 1;
  const survivors = new Map<number, Float64Array>();
  const observed = new Map<number, Float64Array>();
  for (let i = 0; i < paths.principals.count; i++) {
    const day = approvedOn[i]!;
    const year = Math.floor(quarterOf(day) / 4);
    let c = byYear.get(year);
    if (!c) {
      c = {
        year,
        allotted: 0,
        persons: 0,
        arrived: 0,
        persons_arrived: 0,
        applied: new Array(ext).fill(0),
        granted: new Array(ext).fill(0),
        in_hk_after_7y: 0,
        persons_in_hk_after_7y: 0,
        permanent_residents: 0,
        persons_permanent_residents: 0,
        survival: [],
      };
      byYear.set(year, c);
      survivors.set(year, new Float64Array(yearsSpan + 1));
      observed.set(year, new Float64Array(yearsSpan + 1));
    }
    const w = persons[i]!;
    c.allotted++;
    c.persons += w;
    const arrival = paths.arrivalDay[i]!;
    if (arrival >= 0 && arrival <= end) {
      c.arrived++;
      c.persons_arrived += w;
      for (let k = 0; k < paths.applied[i]! && k < ext; k++) {
        if (expiryDay(paths, i, k) > end) break;
        c.applied[k]!++;
        if (k < paths.granted[i]!) c.granted[k]!++;
      }
    }
    const at7 = addYears(day, 7);
    if (at7 <= end) {
      if (inHk(paths, i, at7)) {
        c.in_hk_after_7y++;
        c.persons_in_hk_after_7y += w;
      }
    } else c.in_hk_after_7y = Number.NaN;
    if (stateAt(paths, i, end) === PERMANENT) {
      c.permanent_residents++;
      c.persons_permanent_residents += w;
    }
    const alive = survivors.get(year)!;
    const seen = observed.get(year)!;
    for (let t = 0; t <= yearsSpan; t++) {
      const at = addYears(day, t);
      if (at > end) break;
      seen[t]!++;
      if (inHk(paths, i, at)) alive[t]!++;
    }
  }
  const cohorts = [...byYear.values()].sort((a, b) => a.year - b.year);
  for (const c of cohorts) {
    if (Number.isNaN(c.in_hk_after_7y)) c.persons_in_hk_after_7y = Number.NaN;
    const alive = survivors.get(c.year)!;
    const seen = observed.get(c.year)!;
    for (let t = 0; t <= yearsSpan && seen[t] === c.allotted; t++) c.survival.push(alive[t]! / c.allotted);
  }
  return cohorts;
}

/** Whole-run residence figures, for replications and comparisons (all at the horizon unless named). */
export interface ResidenceTotals {
  /** principals who arrived by the horizon */
  arrived: number;
  never_arrived: number;
  awaiting_arrival: number;
  in_hk: number;
  left_hk: number;
  permanent_residents: number;
  /** principals in Hong Kong 7 years after their allotment (those whose 7 years end by the horizon) */
  in_hk_after_7y: number;
  /** persons (principals with dependants) in Hong Kong at the horizon */
  persons_in_hk: number;
  persons_permanent_residents: number;
}

export function residenceTotals(r: ResidenceResult): ResidenceTotals {
  const paths = r.paths;
  const end = r.horizonEndDay;
  const counts = new Float64Array(RESIDENCE_STATES.length);
  const personsBy = new Float64Array(RESIDENCE_STATES.length);
  let at7 = 0;
  let arrived = 0;
  const { approvedOn, persons } = paths.principals;
  for (let i = 0; i < paths.principals.count; i++) {
    const s = stateAt(paths, i, end);
    if (s === NOT_YET) continue;
    counts[s]!++;
    personsBy[s]! += persons[i]!;
    const a = paths.arrivalDay[i]!;
    if (a >= 0 && a <= end) arrived++;
    const seven = addYears(approvedOn[i]!, 7);
    if (seven <= end && inHk(paths, i, seven)) at7++;
  }
  return {
    arrived,
    never_arrived: counts[NEVER_ARRIVED]!,
    awaiting_arrival: counts[AWAITING]!,
    in_hk: counts[IN_HK]!,
    left_hk: counts[LEFT_HK]!,
    permanent_residents: counts[PERMANENT]!,
    in_hk_after_7y: at7,
    persons_in_hk: personsBy[IN_HK]! + personsBy[PERMANENT]!,
    persons_permanent_residents: personsBy[PERMANENT]!,
  };
}
