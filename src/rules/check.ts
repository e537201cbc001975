import { APPLICANT_COLUMNS } from "../applicants/record.js";
import { parseIsoDay } from "../dates.js";
import { RuleSetError } from "../errors.js";
import { impliedByEarlier, neverHolds } from "./implication.js";
import type { Band, Component, Condition, Factor, RuleSet, TalentList } from "./types.js";

/**
 * Semantic checks that a schema cannot express: bands in order and not overlapping, ladder rungs that
 * can win, factor maxima that add up, effective dates that chain without gap or overlap, ids that are
 * unique, Talent List families that exist. Each problem becomes one RuleSetError (file, key path, reason).
 */

type Errors = RuleSetError[];

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

function checkBands(bands: Band[], file: string, path: string, errors: Errors): void {
  bands.forEach((b, k) => {
    if (b.to !== undefined && b.to <= b.from) {
      errors.push(
        new RuleSetError(
          file,
          `${path}.${k}`,
          `band '${b.label}' is empty: to (${b.to}) must be above from (${b.from})`,
        ),
      );
    }
  });
  for (let k = 1; k < bands.length; k++) {
    const prev = bands[k - 1]!;
    const b = bands[k]!;
    if (b.from <= prev.from) {
      errors.push(
        new RuleSetError(
          file,
          `${path}.${k}`,
          `bands out of order: band '${b.label}' (from ${b.from}) must start after band '${prev.label}' (from ${prev.from})`,
        ),
      );
    } else if (prev.to === undefined || prev.to > b.from) {
      const end = prev.to === undefined ? "has no upper end" : `runs to ${prev.to}`;
      errors.push(
        new RuleSetError(
          file,
          `${path}.${k}`,
          `overlapping bands: band '${prev.label}' ${end}, band '${b.label}' starts at ${b.from}`,
        ),
      );
    }
  }
}

function checkNeverHolds(when: Condition, file: string, path: string, what: string, errors: Errors): void {
  if (neverHolds(when))
    errors.push(new RuleSetError(file, path, `${what} can never hold: its condition is contradictory`));
}

function domainMax(field: string): number {
  return APPLICANT_COLUMNS.find((c) => c.name === field)?.max ?? Number.POSITIVE_INFINITY;
}

/** Highest points a component can give (components of a factor are assumed independent). */
export function componentMax(c: Component): number {
  if ("bands" in c) return Math.max(...c.bands.bands.map((b) => b.points));
  if ("ladder" in c) return Math.max(...c.ladder.map((r) => r.points));
  if ("bonus" in c) return c.bonus.points;
  if ("per_unit" in c) return c.per_unit.points * (c.per_unit.max_units ?? domainMax(c.per_unit.field));
  return c.membership.points;
}

function checkFactor(f: Factor, file: string, path: string, lists: Set<string>, errors: Errors): void {
  f.components.forEach((c, k) => {
    const cp = `${path}.components.${k}`;
    if ("bands" in c) checkBands(c.bands.bands, file, `${cp}.bands.bands`, errors);
    else if ("ladder" in c) {
      c.ladder.forEach((rung, r) => {
        const rp = `${cp}.ladder.${r}.when`;
        if (neverHolds(rung.when)) {
          errors.push(
            new RuleSetError(
              file,
              rp,
              `rung '${rung.label}' can never match: its condition is contradictory`,
            ),
          );
          return;
        }
        const earlier = c.ladder.slice(0, r).map((x) => x.when);
        const by = impliedByEarlier(rung.when, earlier);
        if (by !== null) {
          const who = by >= 0 ? `rung ${by} ('${c.ladder[by]!.label}')` : "the earlier rungs";
          errors.push(
            new RuleSetError(
              file,
              rp,
              `rung '${rung.label}' can never match: whenever its condition holds, ${who} already matches`,
            ),
          );
        }
      });
    } else if ("bonus" in c)
      checkNeverHolds(c.bonus.when, file, `${cp}.bonus.when`, `bonus '${c.bonus.label}'`, errors);
    else if ("membership" in c && !lists.has(c.membership.list)) {
      const known = [...lists].join(", ") || "none";
      errors.push(
        new RuleSetError(
          file,
          `${cp}.membership.list`,
          `unknown Talent List family '${c.membership.list}' (known: ${known})`,
        ),
      );
    }
  });
  const reachable = f.components.reduce((s, c) => s + componentMax(c), 0);
  if (reachable < f.max) {
    errors.push(
      new RuleSetError(
        file,
        `${path}.max`,
        `factor '${f.id}' has max ${f.max} but its components reach at most ${reachable}`,
      ),
    );
  } else if (reachable > f.max) {
    const hint = Number.isFinite(reachable)
      ? `${reachable} points`
      : "unlimited points (a per_unit without max_units)";
    errors.push(
      new RuleSetError(
        file,
        `${path}.max`,
        `factor '${f.id}' has max ${f.max} but its components can reach ${hint}`,
      ),
    );
  }
}

/** Checks within one rule set. `lists` = the Talent List families that exist. */
export function checkRuleSet(rs: RuleSet, file: string, lists: Set<string>, errors: Errors): void {
  for (const id of duplicates(rs.prerequisites.map((p) => p.id))) {
    errors.push(new RuleSetError(file, "prerequisites", `duplicate prerequisite id '${id}'`));
  }
  rs.prerequisites.forEach((p, k) => {
    checkNeverHolds(p.when, file, `prerequisites.${k}.when`, `prerequisite '${p.id}'`, errors);
  });
  checkNeverHolds(rs.apt.when, file, "apt.when", "the APT route", errors);
  if (rs.effective_to !== null && parseIsoDay(rs.effective_to) <= parseIsoDay(rs.effective_from)) {
    errors.push(
      new RuleSetError(
        file,
        "effective_to",
        `effective_to ${rs.effective_to} must be after effective_from ${rs.effective_from}`,
      ),
    );
  }
  if (rs.kind === "points") {
    for (const id of duplicates(rs.factors.map((f) => f.id)))
      errors.push(new RuleSetError(file, "factors", `duplicate factor id '${id}'`));
    rs.factors.forEach((f, k) => {
      checkFactor(f, file, `factors.${k}`, lists, errors);
    });
    const sum = rs.factors.reduce((s, f) => s + f.max, 0);
    if (sum !== rs.max_total) {
      errors.push(
        new RuleSetError(
          file,
          "max_total",
          `max_total ${rs.max_total} must equal the sum of the factor maxima (${sum}); the APT scores max_total`,
        ),
      );
    }
    if (rs.pass.min_total > rs.max_total) {
      errors.push(
        new RuleSetError(
          file,
          "pass.min_total",
          `pass mark ${rs.pass.min_total} is above max_total ${rs.max_total}`,
        ),
      );
    }
  } else {
    for (const id of duplicates(rs.criteria.map((c) => c.id)))
      errors.push(new RuleSetError(file, "criteria", `duplicate criterion id '${id}'`));
    rs.criteria.forEach((c, k) => {
      checkNeverHolds(c.when, file, `criteria.${k}.when`, `criterion '${c.id}'`, errors);
    });
    if (rs.max_total !== rs.criteria.length) {
      errors.push(
        new RuleSetError(
          file,
          "max_total",
          `max_total ${rs.max_total} must equal the number of criteria (${rs.criteria.length})`,
        ),
      );
    }
    if (rs.pass.min_criteria > rs.criteria.length) {
      errors.push(
        new RuleSetError(
          file,
          "pass.min_criteria",
          `needs ${rs.pass.min_criteria} criteria but only ${rs.criteria.length} are listed`,
        ),
      );
    }
  }
}

interface Dated {
  id: string;
  effective_from: string;
  effective_to: string | null;
}

/**
 * Dated items (all rule sets, or one Talent List family) must chain: each effective_to equals the next
 * effective_from; only the last may be open. `lastMustBeOpen` for rule sets (every day from the start
 * of the scheme has one).
 */
export function checkChain<T extends Dated>(
  items: T[],
  fileOf: (x: T) => string,
  what: string,
  lastMustBeOpen: boolean,
  errors: Errors,
): void {
  const sorted = items.slice().sort((a, b) => parseIsoDay(a.effective_from) - parseIsoDay(b.effective_from));
  for (let k = 0; k < sorted.length; k++) {
    const x = sorted[k]!;
    const next = sorted[k + 1];
    if (next === undefined) {
      if (lastMustBeOpen && x.effective_to !== null) {
        errors.push(
          new RuleSetError(
            fileOf(x),
            "effective_to",
            `the last ${what} must be open (effective_to: null) so that every later day has one`,
          ),
        );
      }
      continue;
    }
    if (x.effective_to === null) {
      errors.push(
        new RuleSetError(
          fileOf(x),
          "effective_to",
          `only the last ${what} may be open; '${next.id}' starts ${next.effective_from}`,
        ),
      );
      continue;
    }
    const to = parseIsoDay(x.effective_to);
    const from = parseIsoDay(next.effective_from);
    if (to < from) {
      errors.push(
        new RuleSetError(
          fileOf(x),
          "effective_to",
          `gap in effective dates: ${x.id} ends ${x.effective_to} but the next ${what} '${next.id}' starts ${next.effective_from}`,
        ),
      );
    } else if (to > from) {
      errors.push(
        new RuleSetError(
          fileOf(x),
          "effective_to",
          `overlapping effective dates: ${x.id} runs to ${x.effective_to} but '${next.id}' starts ${next.effective_from}`,
        ),
      );
    }
  }
}

export function checkTalentList(t: TalentList, file: string, errors: Errors): void {
  for (const key of duplicates(t.professions.map((p) => p.key))) {
    errors.push(new RuleSetError(file, "professions", `duplicate profession key '${key}'`));
  }
  if (t.effective_to !== null && parseIsoDay(t.effective_to) <= parseIsoDay(t.effective_from)) {
    errors.push(
      new RuleSetError(
        file,
        "effective_to",
        `effective_to ${t.effective_to} must be after effective_from ${t.effective_from}`,
      ),
    );
  }
}

export function checkDuplicateIds(
  items: { id: string }[],
  fileOf: (k: number) => string,
  what: string,
  errors: Errors,
): void {
  const seen = new Map<string, number>();
  items.forEach((x, k) => {
    const first = seen.get(x.id);
    if (first !== undefined)
      errors.push(
        new RuleSetError(fileOf(k), "id", `duplicate ${what} id '${x.id}' (also in ${fileOf(first)})`),
      );
    else seen.set(x.id, k);
  });
}
