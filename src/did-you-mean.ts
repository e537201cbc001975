/**
 * "Did you mean …?": the one place that finds the name a user probably meant, for every loader that
 * rejects an unknown key, column, variable or path.
 */

/** Edit distance (Levenshtein): insertions, deletions and substitutions, each costing 1. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * How far a candidate may be from the word and still be offered:
 * - `"half"`: up to half the word (at least 2): keys of small vocabularies, where a loose match helps;
 * - `"third"`: up to a third of the word (at least 2): long lists, where a loose match would mislead;
 * - `"fifth"`: up to a fifth of the word (at least 2): a typo, not another word of a long free-text list;
 * - `"any"`: the nearest candidate whatever its distance (the caller lists the choices anyway);
 * - a number: at most that many edits.
 */
export type Tolerance = "half" | "third" | "fifth" | "any" | number;

function maxDistance(word: string, tolerance: Tolerance): number {
  if (tolerance === "half") return Math.max(2, Math.ceil(word.length / 2));
  if (tolerance === "third") return Math.max(2, Math.floor(word.length / 3));
  if (tolerance === "fifth") return Math.max(2, Math.floor(word.length / 5));
  if (tolerance === "any") return Number.POSITIVE_INFINITY;
  return tolerance;
}

/**
 * The candidate nearest to `word`, ignoring case (ties keep the first), or undefined when there are
 * no candidates or none is within the tolerance.
 */
export function didYouMean(
  word: string,
  candidates: readonly string[],
  tolerance: Tolerance = "half",
): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= maxDistance(word, tolerance) ? best : undefined;
}
