import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import type { ApplicantPool } from "../../src/applicants/pool.js";
import { ACHIEVEMENTS } from "../../src/applicants/record.js";
import { parseIsoDay } from "../../src/dates.js";

/**
 * A throwaway columnar scorer of the 2006, 2018 and 2023 GPT (the points tables of docs/rules.md, sourced
 * in data/rules/*.yaml), used only to calibrate and check the distribution specs independently
 * of the rules engine. Returns -1 for applicants failing a prerequisite; APT applicants who pass get
 * the maximum. The Talent List bonus (2018, 2023) counts the list in force on the application date, as
 * the engine does: none before 28 Aug 2018, so applicants of 2011–2018 ranked by the 2018 table score
 * as under the 2015 table.
 */
export type GptVersion = 2006 | 2018 | 2023;

interface DatedList {
  from: number;
  to: number;
  /** membership of each code of the pool's profession dictionary */
  member: boolean[];
}

/** The Talent Lists of data/talent-lists, each with its days in force. */
function talentLists(professions: readonly string[]): DatedList[] {
  const dir = "data/talent-lists";
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => {
      const raw = parse(readFileSync(`${dir}/${f}`, "utf8")) as {
        effective_from: string;
        effective_to: string | null;
        professions: { key: string }[];
      };
      const keys = new Set(raw.professions.map((p) => p.key));
      return {
        from: parseIsoDay(raw.effective_from),
        to: raw.effective_to === null ? Number.POSITIVE_INFINITY : parseIsoDay(raw.effective_to),
        member: professions.map((p) => keys.has(p)),
      };
    });
}

export function scoreGpt(pool: ApplicantPool, version: GptVersion): Int16Array {
  const c = pool.columns;
  const lists = talentLists(pool.dictionaries.profession);
  const onList = (i: number): boolean => {
    const day = c.applied_on[i]!;
    const list = lists.find((l) => l.from <= day && day < l.to);
    return list?.member[c.profession[i]!] ?? false;
  };
  const maxima = { 2006: 165, 2018: 225, 2023: 245 } as const;
  const none = ACHIEVEMENTS.indexOf("none");
  const out = new Int16Array(pool.size);
  for (let i = 0; i < pool.size; i++) {
    const age = c.age[i]!;
    const b = c.bachelor_degrees[i]!;
    const m = c.master_degrees[i]!;
    const d = c.doctoral_degrees[i]!;
    const pq = c.professional_qualification[i] === 1;
    const zh = c.chinese[i] === 1;
    const en = c.english[i] === 1;
    const apt = c.achievement[i] !== none;
    const prereq =
      age >= 18 &&
      (version !== 2006 || age <= 50) &&
      c.financial_means[i] === 1 &&
      c.good_character[i] === 1 &&
      (zh || en) &&
      (b + m + d > 0 || pq || apt);
    if (!prereq) {
      out[i] = -1;
      continue;
    }
    if (apt) {
      out[i] = maxima[version];
      continue;
    }
    const exp = c.years_experience[i]!;
    const senior = c.years_senior[i]!;
    const family =
      (c.hk_permanent_family[i] ? 5 : 0) +
      (c.spouse_accompanying[i] && c.spouse_degree[i] ? 5 : 0) +
      5 * Math.min(2, c.children_under_18[i]!);
    let s = family;
    if (version === 2006) {
      s += age < 25 ? 0 : age < 30 ? 25 : age < 35 ? 30 : age < 40 ? 25 : age < 45 ? 15 : 5;
      s += d >= 2 ? 45 : d >= 1 || m >= 2 ? 40 : m >= 1 || b >= 2 ? 30 : b >= 1 || pq ? 20 : 0;
      s += exp >= 10 && senior >= 5 ? 50 : exp >= 5 && senior >= 2 ? 40 : exp >= 5 ? 30 : 0;
      s += zh && en ? 20 : 0;
    } else {
      s += age < 40 ? 30 : age < 45 ? 20 : age <= 50 ? 15 : 0;
      s += d >= 1 || m >= 2 ? 40 : m >= 1 || b >= 2 ? 20 : b >= 1 || pq ? 10 : 0;
      s += c.renowned_institution[i] && b + m + d > 0 ? 30 : 0;
      s += exp >= 10 && senior >= 5 ? 40 : exp >= 5 && senior >= 2 ? 30 : exp >= 5 ? 15 : exp >= 2 ? 5 : 0;
      s += c.years_international[i]! >= 2 ? 15 : 0;
      if (version === 2023) s += c.years_multinational[i]! >= 3 ? 20 : 0;
      s += onList(i) ? 30 : 0;
      s += zh && en ? 20 : (zh || en) && c.other_languages[i]! >= 1 ? 15 : 10;
    }
    out[i] = s;
  }
  return out;
}

/**
 * Indices of the selected applicants: those passing (score ≥ 80, prerequisites met), best score first,
 * ties by index, at most `share` of the whole pool.
 */
export function selectTop(scores: Int16Array, share: number): number[] {
  const passing: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= 80) passing.push(i);
  passing.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return passing.slice(0, Math.round(share * scores.length));
}
