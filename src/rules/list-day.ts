import { formatIsoDay, parseIsoDay } from "../dates.js";
import type { RuleBook } from "./book.js";
import type { RuleSet, TalentList } from "./types.js";

/**
 * A rule set brings the Talent Lists of its own time. An application assessed under a rule set that was
 * not in force on its date (a forced `--rules ID`, or `rules: ID` in a scenario) is checked against the
 * lists in force on the nearest day of that rule set's period: scoring a 2010 application "under the
 * 2018 table" means with the 2018 list, or that table's Talent List points could never be earned.
 * Inside the period the application's own date is used, so the rule set in force on a date always
 * gets the lists of that date (`rules: auto` is unaffected).
 */

/** `day` moved into the half-open range [from, to): itself when inside, else the nearest day of it. */
export function nearestDayIn(from: number, to: number, day: number): number {
  if (day < from) return from;
  if (day >= to) return to - 1;
  return day;
}

/** Parsed [effective_from, effective_to) of rule sets, by object (rule sets never change in place). */
const PERIODS = new WeakMap<RuleSet, readonly [number, number]>();

function periodOf(rs: RuleSet): readonly [number, number] {
  let p = PERIODS.get(rs);
  if (!p) {
    const to = rs.effective_to === null ? Number.POSITIVE_INFINITY : parseIsoDay(rs.effective_to);
    p = [parseIsoDay(rs.effective_from), to];
    PERIODS.set(rs, p);
  }
  return p;
}

/** The day whose Talent Lists an application dated `appliedOn` uses when assessed under `rs`. */
export function listDay(rs: RuleSet, appliedOn: number | string): number {
  const day = typeof appliedOn === "string" ? parseIsoDay(appliedOn) : appliedOn;
  const [from, to] = periodOf(rs);
  return nearestDayIn(from, to, day);
}

/** The list families the membership components of `rs` name, in order of first mention. */
export function membershipFamilies(rs: RuleSet): string[] {
  if (rs.kind !== "points") return [];
  const out: string[] = [];
  for (const f of rs.factors)
    for (const c of f.components)
      if ("membership" in c && !out.includes(c.membership.list)) out.push(c.membership.list);
  return out;
}

/** Which list of one family an application uses under a rule set, and why that one. */
export interface ListChoice {
  family: string;
  /** the list in force on `day`; undefined when none was */
  list: TalentList | undefined;
  /** the day the list was looked up on (ISO) */
  day: string;
  /**
   * "application": the application's own date (inside the rule set's period); "first-day" /
   * "last-day": the application is dated before / after the period, so its nearest day was used
   */
  dayIs: "application" | "first-day" | "last-day";
}

/** The list of every family `rs` scores membership of, for an application dated `appliedOn`. */
export function listChoices(book: RuleBook, rs: RuleSet, appliedOn: string): ListChoice[] {
  const own = parseIsoDay(appliedOn);
  const day = listDay(rs, own);
  const dayIs = day === own ? "application" : day < own ? "last-day" : "first-day";
  return membershipFamilies(rs).map((family) => ({
    family,
    list: book.talentListInForce(family, day),
    day: formatIsoDay(day),
    dayIs,
  }));
}

/** Whether an application dated `appliedOn` falls outside the period of `rs` (so `rs` was forced). */
export function outsidePeriod(rs: RuleSet, appliedOn: string): boolean {
  return listDay(rs, appliedOn) !== parseIsoDay(appliedOn);
}

/**
 * Lines for `explain`: which Talent List the application was checked against and why. Nothing for a
 * rule set without a list that was in force on the application date (there is nothing to explain).
 */
export function describeListChoices(book: RuleBook, rs: RuleSet, appliedOn: string): string[] {
  const choices = listChoices(book, rs, appliedOn);
  if (choices.length === 0) {
    if (!outsidePeriod(rs, appliedOn)) return [];
    return [
      `Talent List: none (${rs.id} has no Talent List factor, so no list exists for that table whatever the application date)`,
    ];
  }
  return choices.map((c) => {
    const family = choices.length > 1 ? ` [${c.family}]` : "";
    const used = c.list ? c.list.id : "none";
    const inForce = c.list ? "in force" : "no list in force";
    if (c.dayIs === "application") {
      const scoresZero = c.list ? "" : ", so the Talent List factor scores 0";
      return `Talent List${family}: ${used} (${inForce} on the application date, ${appliedOn}${scoresZero})`;
    }
    const [which, side] = c.dayIs === "first-day" ? ["first", "before"] : ["last", "after"];
    return (
      `Talent List${family}: ${used} (${inForce} on ${c.day}, the ${which} day of ${rs.id}, because the ` +
      `application is dated ${appliedOn}, ${side} the rule set's period)`
    );
  });
}

/**
 * For `score --rules ID`, a diagnostic: how many applications were dated outside the forced rule set's
 * period, and which lists they were checked against instead of those of their own dates. Null when
 * every application is inside the period or the rule set scores no list.
 */
export function forcedListNote(book: RuleBook, rs: RuleSet, days: ArrayLike<number>): string | null {
  const families = membershipFamilies(rs);
  if (families.length === 0) return null;
  const [from, to] = periodOf(rs);
  let before = 0;
  let after = 0;
  for (let i = 0; i < days.length; i++) {
    const d = days[i]!;
    if (d < from) before++;
    else if (d >= to) after++;
  }
  const side = (count: number, where: string, day: number, which: string): string => {
    const ids = families.map((f) => book.talentListInForce(f, day)?.id ?? "no list").join(" + ");
    const verb = count === 1 ? "uses" : "use";
    return `${count} application${count === 1 ? "" : "s"} dated ${where} ${verb} ${ids} (in force on its ${which} day, ${formatIsoDay(day)})`;
  };
  const parts: string[] = [];
  if (before > 0) parts.push(side(before, `before ${rs.id}'s period`, from, "first"));
  if (after > 0) parts.push(side(after, before > 0 ? "after it" : `after ${rs.id}'s period`, to - 1, "last"));
  if (parts.length === 0) return null;
  return `score: ${parts.join("; ")}`;
}
