import type { Applicant } from "../applicants/record.js";
import type { RuleBook } from "./book.js";
import { evaluateCondition } from "./conditions.js";
import { listDay } from "./list-day.js";
import type { Component, Factor, FactorScore, PointsRuleSet, RuleSet, ScoreResult } from "./types.js";

/**
 * Score one applicant under one rule set (the reference implementation; the batch path in batch.ts
 * must agree with it exactly). See docs/rules.md: prerequisites first (every failed one is named); an
 * achievement routes to the APT, which scores max_total when eligible and 0 otherwise; the GPT sums
 * each factor's components capped at the factor's max; the criteria kind counts criteria met. Talent
 * List membership is checked against the lists in force on the application date, or, when the rule
 * set was not in force then, on the nearest day of its period (list-day.ts).
 */

export interface ScoreOptions {
  /** overrides the points pass mark (points rule sets only) */
  passMark?: number;
}

/**
 * Points and matched label of one component for one applicant. `listsOn`: the day whose Talent Lists
 * count (list-day.ts listDay; the application date when the rule set was in force on it).
 */
export function componentScore(
  c: Component,
  a: Applicant,
  book: RuleBook,
  listsOn: number | string = a.applied_on,
): { points: number; label?: string } {
  if ("bands" in c) {
    const v = a[c.bands.field];
    for (const b of c.bands.bands) {
      if (v >= b.from && (b.to === undefined || v < b.to)) return { points: b.points, label: b.label };
    }
    return { points: 0 };
  }
  if ("ladder" in c) {
    for (const r of c.ladder) if (evaluateCondition(r.when, a)) return { points: r.points, label: r.label };
    return { points: 0 };
  }
  if ("bonus" in c)
    return evaluateCondition(c.bonus.when, a)
      ? { points: c.bonus.points, label: c.bonus.label }
      : { points: 0 };
  if ("per_unit" in c) {
    const u = c.per_unit;
    const units = Math.floor(Math.min(a[u.field], u.max_units ?? Number.POSITIVE_INFINITY));
    return units > 0
      ? { points: units * u.points, label: units > 1 ? `${u.label} ×${units}` : u.label }
      : { points: 0 };
  }
  const m = c.membership;
  return book.isListed(m.list, listsOn, a[m.field]) ? { points: m.points, label: m.label } : { points: 0 };
}

/** `listsOn` as for componentScore: pass listDay(ruleSet, a.applied_on) when the rule set may be forced. */
export function factorScore(
  f: Factor,
  a: Applicant,
  book: RuleBook,
  listsOn: number | string = a.applied_on,
): FactorScore {
  let sum = 0;
  const matched: string[] = [];
  for (const c of f.components) {
    const s = componentScore(c, a, book, listsOn);
    sum += s.points;
    if (s.label !== undefined) matched.push(s.label);
  }
  return { id: f.id, label: f.label, points: Math.min(sum, f.max), max: f.max, matched };
}

export function passMarkOf(rs: RuleSet, opts?: ScoreOptions): number {
  return rs.kind === "points" ? (opts?.passMark ?? rs.pass.min_total) : rs.pass.min_criteria;
}

export function scoreApplicant(a: Applicant, rs: RuleSet, book: RuleBook, opts?: ScoreOptions): ScoreResult {
  const failedPrerequisites = rs.prerequisites
    .filter((p) => !evaluateCondition(p.when, a))
    .map((p) => ({ id: p.id, label: p.label }));
  const eligible = failedPrerequisites.length === 0;
  const passMark = passMarkOf(rs, opts);
  const base = {
    applicantId: a.id,
    ruleSet: rs.id,
    eligible,
    failedPrerequisites,
    max: rs.max_total,
    passMark,
  };
  if (evaluateCondition(rs.apt.when, a)) {
    return { ...base, route: "apt", factors: [], total: eligible ? rs.max_total : 0, passed: eligible };
  }
  if (rs.kind === "criteria") {
    const factors: FactorScore[] = rs.criteria.map((c) => {
      const met = evaluateCondition(c.when, a);
      return { id: c.id, label: c.label, points: met ? 1 : 0, max: 1, matched: met ? [c.label] : [] };
    });
    const total = factors.reduce((s, f) => s + f.points, 0);
    return { ...base, route: "criteria", factors, total, passed: eligible && total >= passMark };
  }
  // a forced rule set brings the Talent Lists of its own period
  const listsOn = listDay(rs, a.applied_on);
  const factors = (rs as PointsRuleSet).factors.map((f) => factorScore(f, a, book, listsOn));
  const total = factors.reduce((s, f) => s + f.points, 0);
  return { ...base, route: "gpt", factors, total, passed: eligible && total >= passMark };
}
