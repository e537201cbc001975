import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { ApplicantPool } from "../../src/applicants/pool.js";
import { ACHIEVEMENTS } from "../../src/applicants/record.js";
import { parseIsoDay } from "../../src/dates.js";

/**
 * A throwaway columnar scorer of the 2006, 2018 and 2023 GPT (tables of the shared domain notes
 * qmas-rules.md §2 and MODEL.md), used only to calibrate and check the distribution specs independently
 * of the rules engine. Returns -1 for applicants failing a prerequisite; APT applicants who pass get
 * the maximum. The 2018 table counts the 2018 Talent List for every applicant (as when a pool of
 * another era is ranked "under the 2018 table"); the 2023 table counts the list in force on the
 * application date (13 professions until 16 May 2023, then the 51-profession list).
 */
export type GptVersion = 2006 | 2018 | 2023;

const TALENT_LIST_2018 = new Set([
  "waste_treatment_specialist",
  "asset_management_professional",
  "marine_insurance_professional",
  "actuary",
  "fintech_professional",
  "data_scientist",
  "cyber_security_specialist",
  "innovation_technology_expert",
  "naval_architect",
  "marine_engineer",
  "ship_superintendent",
  "creative_industries_professional",
  "performing_arts_professional",
  "dispute_resolution_professional",
  "transactional_lawyer",
]);

/** Profession keys and first day of a Talent List file of data/talent-lists. */
function talentList(id: string): { from: number; keys: Set<string> } {
  const raw = parse(readFileSync(`data/talent-lists/${id}.yaml`, "utf8")) as {
    effective_from: string;
    professions: { key: string }[];
  };
  return { from: parseIsoDay(raw.effective_from), keys: new Set(raw.professions.map((p) => p.key)) };
}

export function scoreGpt(pool: ApplicantPool, version: GptVersion): Int16Array {
  const c = pool.columns;
  const onList2018 = pool.dictionaries.profession.map((p) => TALENT_LIST_2018.has(p));
  const [list2022, list2023] = version === 2023 ? [talentList("talent-list-2022"), talentList("talent-list-2023")] : [];
  const onList2022 = pool.dictionaries.profession.map((p) => list2022?.keys.has(p) ?? false);
  const onList2023 = pool.dictionaries.profession.map((p) => list2023?.keys.has(p) ?? false);
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
      if (version === 2023) {
        s += c.years_multinational[i]! >= 3 ? 20 : 0;
        const onList = c.applied_on[i]! >= list2023!.from ? onList2023 : onList2022;
        s += onList[c.profession[i]!] ? 30 : 0;
      } else s += onList2018[c.profession[i]!] ? 30 : 0;
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
