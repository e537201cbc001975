import type { RuleBook } from "./book.js";
import type { RuleSet } from "./types.js";

/**
 * A pass mark above a points rule set's maximum means nobody can pass under it: a typo (1000 for
 * 100) that would silently refuse every applicant. Returns the reason, or undefined when the pass
 * mark is reachable under every points rule set given.
 */
export function unreachablePassMark(passMark: number, ruleSets: readonly RuleSet[]): string | undefined {
  const over = ruleSets.filter((rs) => rs.kind === "points" && passMark > rs.max_total);
  if (over.length === 0) return undefined;
  const list = over.map((rs) => `${rs.id}: ${rs.max_total}`).join(", ");
  return `${passMark} is above the maximum score of ${over.length === 1 ? "the rule set" : "the rule sets"} it applies to (${list}): nobody could pass`;
}

/** The rule sets in force at some day of [fromIso, toIso] (inclusive), or every one when no period is known. */
export function ruleSetsInForceBetween(book: RuleBook, fromIso?: string, toIso?: string): RuleSet[] {
  if (fromIso === undefined || toIso === undefined) return book.ruleSets;
  return book.ruleSets.filter(
    (rs) => rs.effective_from <= toIso && (rs.effective_to === null || rs.effective_to > fromIso),
  );
}
