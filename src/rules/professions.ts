import type { ApplicantPool } from "../applicants/pool.js";
import { didYouMean } from "../did-you-mean.js";
import type { RuleBook } from "./book.js";

/** A profession written in a pool that is on no Talent List but is a few letters from a key that is. */
export interface ProfessionNearMiss {
  profession: string;
  /** rows holding it */
  rows: number;
  /** the Talent List key it probably means */
  meant: string;
}

/**
 * Professions of a pool that look like misspelt Talent List keys: on no list of the book, and within
 * a few edits (or only a different case) of a key that is. Such a row silently earns no Talent List
 * points, which is worth a warning; a profession far from every key (a teacher, say) is simply not on
 * the list and gets none. Ordered by rows, most first.
 */
export function professionNearMisses(pool: ApplicantPool, book: RuleBook): ProfessionNearMiss[] {
  const keys = [...new Set(book.talentLists.flatMap((t) => t.professions.map((p) => p.key)))].filter(
    (k) => k !== "",
  );
  const known = new Set(keys);
  const dict = pool.dictionaries.profession;
  const rows = new Int32Array(dict.length);
  const col = pool.columns.profession;
  for (let i = 0; i < pool.size; i++) rows[col[i]!]!++;
  const out: ProfessionNearMiss[] = [];
  dict.forEach((profession, code) => {
    if (profession === "" || rows[code] === 0 || known.has(profession)) return;
    // a key differing only in case, or by a typo (not another word)
    const meant = didYouMean(profession, keys, "fifth");
    if (meant !== undefined) out.push({ profession, rows: rows[code]!, meant });
  });
  return out.sort((a, b) => b.rows - a.rows || (a.profession < b.profession ? -1 : 1));
}

/** One warning line per near miss (at most `limit`, then a count), for stderr. */
export function professionWarnings(
  file: string,
  misses: readonly ProfessionNearMiss[],
  limit = 10,
): string[] {
  const lines = misses
    .slice(0, limit)
    .map(
      (m) =>
        `${file}: warning: profession '${m.profession}' (${m.rows} ${m.rows === 1 ? "row" : "rows"}) is on no Talent List and earns no Talent List points; did you mean '${m.meant}'?`,
    );
  if (misses.length > limit)
    lines.push(
      `${file}: warning: ${misses.length - limit} more professions look like misspelt Talent List keys`,
    );
  return lines;
}
