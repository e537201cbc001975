import { parseIsoDay } from "../dates.js";
import { ROUTES } from "../rules/types.js";
import type { ResidenceConfig } from "../scenario/schema.js";
import type { ProfileCondition, Rate, ResidenceData } from "./schema.js";

/**
 * The residence data and a scenario's residence settings turned into what the pipeline reads per
 * principal: dated stay patterns (in months) and rate eras, with profile rules as flat numbers, so
 * simulating a principal looks nothing up by name.
 */

/** A profile rule: applies when every bound holds (-1 route = any route; ranges are [from, to)). */
export interface CompiledRule {
  route: number;
  incomeFrom: number;
  incomeTo: number;
  ageFrom: number;
  ageTo: number;
  value: number;
}

export interface CompiledRate {
  value: number;
  rules: CompiledRule[];
}

export interface CompiledEra {
  fromDay: number;
  takeUp: CompiledRate;
  /** lag table: months and cumulative shares, from (0, 0) */
  lagMonths: Float64Array;
  lagShares: Float64Array;
  giveUpMonths: number;
  /** per extension (first, second, …); the last holds for every later one */
  apply: CompiledRate[];
  approve: CompiledRate[];
  permanentResidence: CompiledRate;
}

export interface CompiledPattern {
  fromDay: number;
  /** length of each stay in months; the last repeats */
  staysMonths: Int32Array;
  uncertain: boolean;
  /** the pattern as written, e.g. "1+2+2+3" */
  label: string;
}

/** Shifts of the rates for events dated in [fromDay, toDay). */
export interface CompiledAdjust {
  fromDay: number;
  toDay: number;
  takeUp: number;
  apply: number;
  approve: number;
  permanentResidence: number;
}

export interface ResidencePlan {
  /** in `fromDay` order; the first covers everything before the second */
  patterns: CompiledPattern[];
  eras: CompiledEra[];
  adjust: CompiledAdjust[];
  /** months of residence that make a permanent resident */
  permanentMonths: number;
  /** most extensions any pattern needs before permanent residence */
  maxExtensions: number;
}

function compileCondition(when: ProfileCondition, value: number): CompiledRule {
  return {
    route: when.route === undefined ? -1 : ROUTES.indexOf(when.route),
    incomeFrom: when.income_hkd?.from ?? Number.NEGATIVE_INFINITY,
    incomeTo: when.income_hkd?.to ?? Number.POSITIVE_INFINITY,
    ageFrom: when.age?.from ?? Number.NEGATIVE_INFINITY,
    ageTo: when.age?.to ?? Number.POSITIVE_INFINITY,
    value,
  };
}

export function compileRate(rate: Pick<Rate, "value" | "by_profile">): CompiledRate {
  return { value: rate.value, rules: rate.by_profile.map((r) => compileCondition(r.when, r.value)) };
}

/** The value of a rate for one principal: the first matching profile rule, else the constant. */
export function rateFor(rate: CompiledRate, route: number, age: number, income: number): number {
  const rules = rate.rules;
  if (rules.length === 0) return rate.value;
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k]!;
    if (
      (r.route < 0 || r.route === route) &&
      income >= r.incomeFrom &&
      income < r.incomeTo &&
      age >= r.ageFrom &&
      age < r.ageTo
    )
      return r.value;
  }
  return rate.value;
}

function months(years: number): number {
  return Math.max(1, Math.round(years * 12));
}

/** Extensions a path under `stays` needs before `permanentMonths` of residence. */
export function extensionsBefore(stays: Int32Array, permanentMonths: number): number {
  let m = 0;
  let n = 0;
  for (let j = 0; ; j++) {
    m += stays[Math.min(j, stays.length - 1)]!;
    if (m >= permanentMonths) return n;
    n++;
  }
}

/** Compile data + scenario settings (scenario stay patterns replace the data's from their dates). */
export function compilePlan(data: ResidenceData, config: ResidenceConfig): ResidencePlan {
  const permanentMonths = months(data.permanent_residence_years);
  const written = data.stay_patterns.map((p) => ({
    from: p.from,
    stays: p.stays_years,
    uncertain: p.uncertain,
  }));
  // a scenario's pattern from a date replaces every data pattern from that date on
  for (const o of [...config.stay_patterns].sort((a, b) => a.from.localeCompare(b.from))) {
    const kept = written.filter((p) => p.from < o.from);
    written.splice(0, written.length, ...kept, { from: o.from, stays: o.stays_years, uncertain: false });
  }
  const patterns = written.map((p) => {
    const staysMonths = Int32Array.from(p.stays, months);
    return {
      fromDay: parseIsoDay(p.from),
      staysMonths,
      uncertain: p.uncertain,
      label: p.stays.join("+"),
    };
  });
  const eras = data.rates.map(
    (e): CompiledEra => ({
      fromDay: parseIsoDay(e.from),
      takeUp: compileRate(e.arrival.take_up),
      lagMonths: Float64Array.from([0, ...e.arrival.lag_months.points.map((p) => p.within)]),
      lagShares: Float64Array.from([0, ...e.arrival.lag_months.points.map((p) => p.share)]),
      giveUpMonths: e.arrival.give_up_months,
      apply: e.extensions.map((x) => compileRate(x.apply)),
      approve: e.extensions.map((x) => compileRate(x.approve)),
      permanentResidence: compileRate(e.permanent_residence),
    }),
  );
  const adjust = config.adjust.map((a) => ({
    fromDay: a.from === undefined ? Number.NEGATIVE_INFINITY : parseIsoDay(a.from),
    toDay: a.to === undefined ? Number.POSITIVE_INFINITY : parseIsoDay(a.to),
    takeUp: a.take_up,
    apply: a.extension_apply,
    approve: a.extension_approve,
    permanentResidence: a.permanent_residence,
  }));
  const maxExtensions = Math.max(...patterns.map((p) => extensionsBefore(p.staysMonths, permanentMonths)));
  return { patterns, eras, adjust, permanentMonths, maxExtensions };
}

/** Index of the dated entry in force on `day` (the first entry also covers earlier days). */
export function inForce(entries: readonly { fromDay: number }[], day: number): number {
  let k = 0;
  while (k + 1 < entries.length && entries[k + 1]!.fromDay <= day) k++;
  return k;
}

export type AdjustKind = "takeUp" | "apply" | "approve" | "permanentResidence";

/** `p` shifted by every adjustment in force on `day`, kept within [0, 1]. */
export function adjusted(plan: ResidencePlan, kind: AdjustKind, p: number, day: number): number {
  const list = plan.adjust;
  for (let k = 0; k < list.length; k++) {
    const a = list[k]!;
    if (day >= a.fromDay && day < a.toDay) p += a[kind];
  }
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
