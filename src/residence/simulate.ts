import { addMonths, monthsAfter, packedCivil } from "./calendar.js";
import { PrincipalDraws } from "./draws.js";
import { adjusted, type CompiledEra, inForce, type ResidencePlan, rateFor } from "./plan.js";

/**
 * The allotted principals of a run, column by column: what the pipeline reads of each. Dependants
 * are not modelled apart: `persons` (the principal with accompanying spouse and children) follow
 * their principal through every state.
 */
export interface Principals {
  count: number;
  /** stable key of each principal's random stream (its application number in the run) */
  key: Int32Array;
  /** day number of the allotment decision */
  approvedOn: Int32Array;
  /** index into ROUTES */
  route: Uint8Array;
  age: Uint8Array;
  /** annual income in HK$ at application */
  income: Float64Array;
  /** principal + accompanying spouse + children under 18 */
  persons: Uint8Array;
}

/** States of a principal after allotment, in the column order of residence.csv. */
export const RESIDENCE_STATES = [
  "awaiting_arrival",
  "never_arrived",
  "in_hk",
  "left_hk",
  "permanent_resident",
] as const;
export type ResidenceState = (typeof RESIDENCE_STATES)[number];
export const AWAITING = 0;
export const NEVER_ARRIVED = 1;
export const IN_HK = 2;
export const LEFT_HK = 3;
export const PERMANENT = 4;
/** not yet allotted on the day asked */
export const NOT_YET = -1;

/**
 * Each principal's whole path (not cut at any horizon: the outputs read it at the dates they need).
 * Days are day numbers; -1 = the event never happens.
 */
export interface ResidencePaths {
  principals: Principals;
  plan: ResidencePlan;
  arrivalDay: Int32Array;
  /** day a principal who never comes counts as never arriving */
  giveUpDay: Int32Array;
  /** day of leaving (an extension not sought or refused, or not ordinarily resident at 7 years) */
  exitDay: Int32Array;
  permanentDay: Int32Array;
  /** extensions applied for, and granted (granted = applied, or applied − 1 when the last was refused) */
  applied: Uint8Array;
  granted: Uint8Array;
  /** index of the stay pattern in force on the approval date (into plan.patterns) */
  pattern: Uint8Array;
}

const DAYS_PER_MONTH = 365.25 / 12;

/** Months after approval at cumulative share `u` of the lag table (linear between its points). */
export function lagMonthsAt(era: CompiledEra, u: number): number {
  const m = era.lagMonths;
  const s = era.lagShares;
  for (let k = 1; k < s.length; k++) {
    if (u < s[k]!) {
      const span = s[k]! - s[k - 1]!;
      return m[k - 1]! + ((u - s[k - 1]!) / span) * (m[k]! - m[k - 1]!);
    }
  }
  return m[m.length - 1]!;
}

/**
 * Simulate every principal's path: approval → arrival (or never) → a stay → at each expiry before
 * the permanent-residence date, apply (or leave) and be granted (or leave) → permanent resident, or
 * leave when not ordinarily resident then. Pure: the same principals, plan and seed give the same
 * paths. Draws are taken in a fixed order per principal (take-up, lag, permanent residence, then
 * apply and approve of each extension), so raising a rate only ever lets a principal go further.
 */
export function simulateResidence(
  principals: Principals,
  plan: ResidencePlan,
  seed: string | number,
): ResidencePaths {
  const n = principals.count;
  const arrivalDay = new Int32Array(n).fill(-1);
  const giveUpDay = new Int32Array(n).fill(-1);
  const exitDay = new Int32Array(n).fill(-1);
  const permanentDay = new Int32Array(n).fill(-1);
  const applied = new Uint8Array(n);
  const granted = new Uint8Array(n);
  const pattern = new Uint8Array(n);
  const draws = new PrincipalDraws(seed);
  const { key, approvedOn, route, age, income } = principals;
  const adjusting = plan.adjust.length > 0;
  for (let i = 0; i < n; i++) {
    const approved = approvedOn[i]!;
    const era = plan.eras[inForce(plan.eras, approved)]!;
    const p = inForce(plan.patterns, approved);
    pattern[i] = p;
    const r = route[i]!;
    const a = age[i]!;
    const inc = income[i]!;
    draws.start(key[i]!);
    const uTake = draws.next();
    const uLag = draws.next();
    const uPermanent = draws.next();
    if (uTake >= adjusted(plan, "takeUp", rateFor(era.takeUp, r, a, inc), approved)) {
      giveUpDay[i] = addMonths(approved, era.giveUpMonths);
      continue;
    }
    const arrival = approved + Math.round(lagMonthsAt(era, uLag) * DAYS_PER_MONTH);
    arrivalDay[i] = arrival;
    const civil = packedCivil(arrival);
    const permanent = monthsAfter(civil, plan.permanentMonths);
    const stays = plan.patterns[p]!.staysMonths;
    let months = 0;
    let left = -1;
    for (let j = 0; ; j++) {
      months += stays[j < stays.length ? j : stays.length - 1]!;
      const expiry = monthsAfter(civil, months);
      if (expiry >= permanent) break;
      const x = j < era.apply.length ? j : era.apply.length - 1;
      applied[i] = j < 255 ? j + 1 : 255;
      let pApply = rateFor(era.apply[x]!, r, a, inc);
      if (adjusting) pApply = adjusted(plan, "apply", pApply, expiry);
      if (draws.next() >= pApply) {
        applied[i] = j;
        left = expiry;
        break;
      }
      let pApprove = rateFor(era.approve[x]!, r, a, inc);
      if (adjusting) pApprove = adjusted(plan, "approve", pApprove, expiry);
      if (draws.next() >= pApprove) {
        left = expiry;
        break;
      }
      granted[i] = j < 255 ? j + 1 : 255;
    }
    if (left >= 0) exitDay[i] = left;
    else if (
      uPermanent < adjusted(plan, "permanentResidence", rateFor(era.permanentResidence, r, a, inc), permanent)
    )
      permanentDay[i] = permanent;
    else exitDay[i] = permanent;
  }
  return { principals, plan, arrivalDay, giveUpDay, exitDay, permanentDay, applied, granted, pattern };
}

/** State of principal `i` at the end of `day` (NOT_YET before its allotment). */
export function stateAt(paths: ResidencePaths, i: number, day: number): number {
  if (paths.principals.approvedOn[i]! > day) return NOT_YET;
  const arrival = paths.arrivalDay[i]!;
  if (arrival < 0) {
    const g = paths.giveUpDay[i]!;
    return g >= 0 && day >= g ? NEVER_ARRIVED : AWAITING;
  }
  if (day < arrival) return AWAITING;
  const pr = paths.permanentDay[i]!;
  if (pr >= 0 && day >= pr) return PERMANENT;
  const exit = paths.exitDay[i]!;
  if (exit >= 0 && day >= exit) return LEFT_HK;
  return IN_HK;
}

/** Day of the k-th expiry (k = 0: end of the initial stay) of an arrived principal. */
export function expiryDay(paths: ResidencePaths, i: number, k: number): number {
  const stays = paths.plan.patterns[paths.pattern[i]!]!.staysMonths;
  let months = 0;
  for (let j = 0; j <= k; j++) months += stays[Math.min(j, stays.length - 1)]!;
  return addMonths(paths.arrivalDay[i]!, months);
}

export { addMonths };
