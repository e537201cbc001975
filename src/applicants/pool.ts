import { formatIsoDay, parseIsoDay } from "../dates.js";
import { ACHIEVEMENTS, type Applicant, SEXES } from "./record.js";

/**
 * A pool of applicants held column by column in typed arrays: the engine scores and selects millions
 * of applicants without building one object per applicant. Column names are the CSV column names.
 * Categorical columns hold codes into `dictionaries` (code 0 of `profession` is the empty profession).
 */
export interface PoolColumns {
  /** day number (days since 1970-01-01 UTC) */
  applied_on: Int32Array;
  age: Uint8Array;
  /** index into SEXES */
  sex: Uint8Array;
  region: Uint16Array;
  sector: Uint16Array;
  profession: Uint16Array;
  bachelor_degrees: Uint8Array;
  master_degrees: Uint8Array;
  doctoral_degrees: Uint8Array;
  professional_qualification: Uint8Array;
  renowned_institution: Uint8Array;
  eligible_university_postgrad: Uint8Array;
  stem_postgrad: Uint8Array;
  years_experience: Float64Array;
  years_senior: Float64Array;
  years_international: Float64Array;
  years_multinational: Float64Array;
  years_specified_industry: Float64Array;
  chinese: Uint8Array;
  english: Uint8Array;
  other_languages: Uint8Array;
  annual_income_hkd: Float64Array;
  business_profit_hkd: Float64Array;
  listed_company_stake: Float64Array;
  hk_permanent_family: Uint8Array;
  spouse_accompanying: Uint8Array;
  spouse_degree: Uint8Array;
  children_under_18: Uint8Array;
  /** index into ACHIEVEMENTS */
  achievement: Uint8Array;
  financial_means: Uint8Array;
  good_character: Uint8Array;
}

export type PoolColumnName = keyof PoolColumns;

/**
 * Ids are either listed (read from a CSV) or generated from a prefix and the applicant index
 * (id of applicant i = prefix + zero-padded (start + i + 1); `start` defaults to 0), so a generated pool of
 * millions holds no id strings.
 */
export type IdSource =
  | { kind: "list"; ids: string[] }
  | { kind: "generated"; prefix: string; width: number; start?: number };

export interface PoolDictionaries {
  region: string[];
  sector: string[];
  /** index 0 is always "" (no profession) */
  profession: string[];
}

export interface ApplicantPool {
  size: number;
  ids: IdSource;
  columns: PoolColumns;
  dictionaries: PoolDictionaries;
  /** Extra CSV columns carried through untouched (`--allow-extra-columns`). */
  extra?: { names: string[]; values: string[][] };
}

const COLUMN_CTORS = {
  applied_on: Int32Array,
  age: Uint8Array,
  sex: Uint8Array,
  region: Uint16Array,
  sector: Uint16Array,
  profession: Uint16Array,
  bachelor_degrees: Uint8Array,
  master_degrees: Uint8Array,
  doctoral_degrees: Uint8Array,
  professional_qualification: Uint8Array,
  renowned_institution: Uint8Array,
  eligible_university_postgrad: Uint8Array,
  stem_postgrad: Uint8Array,
  years_experience: Float64Array,
  years_senior: Float64Array,
  years_international: Float64Array,
  years_multinational: Float64Array,
  years_specified_industry: Float64Array,
  chinese: Uint8Array,
  english: Uint8Array,
  other_languages: Uint8Array,
  annual_income_hkd: Float64Array,
  business_profit_hkd: Float64Array,
  listed_company_stake: Float64Array,
  hk_permanent_family: Uint8Array,
  spouse_accompanying: Uint8Array,
  spouse_degree: Uint8Array,
  children_under_18: Uint8Array,
  achievement: Uint8Array,
  financial_means: Uint8Array,
  good_character: Uint8Array,
} as const satisfies Record<PoolColumnName, unknown>;

export const POOL_COLUMN_NAMES = Object.keys(COLUMN_CTORS) as PoolColumnName[];

/** Allocate zeroed columns for `size` applicants (defaults are applied by whoever fills them). */
export function allocateColumns(size: number): PoolColumns {
  const out: Record<string, unknown> = {};
  for (const name of POOL_COLUMN_NAMES) out[name] = new COLUMN_CTORS[name](size);
  return out as unknown as PoolColumns;
}

export function idOf(pool: ApplicantPool, i: number): string {
  const src = pool.ids;
  if (src.kind === "list") return src.ids[i] as string;
  return src.prefix + String((src.start ?? 0) + i + 1).padStart(src.width, "0");
}

/** Interns text keys into codes while a pool is being built. */
export class Dictionary {
  readonly values: string[];
  private readonly index = new Map<string, number>();
  constructor(initial: readonly string[] = []) {
    this.values = [];
    for (const v of initial) this.code(v);
  }
  code(value: string): number {
    let c = this.index.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(value);
      this.index.set(value, c);
    }
    return c;
  }
  lookup(value: string): number | undefined {
    return this.index.get(value);
  }
}

/** Read applicant `i` back as a plain record (for explanations, tests, small pools; not the hot path). */
export function applicantAt(pool: ApplicantPool, i: number): Applicant {
  const c = pool.columns;
  const d = pool.dictionaries;
  return {
    id: idOf(pool, i),
    applied_on: formatIsoDay(c.applied_on[i]!),
    age: c.age[i]!,
    sex: SEXES[c.sex[i]!] ?? "X",
    region: d.region[c.region[i]!] ?? "other",
    sector: d.sector[c.sector[i]!] ?? "other",
    profession: d.profession[c.profession[i]!] ?? "",
    bachelor_degrees: c.bachelor_degrees[i]!,
    master_degrees: c.master_degrees[i]!,
    doctoral_degrees: c.doctoral_degrees[i]!,
    professional_qualification: c.professional_qualification[i] === 1,
    renowned_institution: c.renowned_institution[i] === 1,
    eligible_university_postgrad: c.eligible_university_postgrad[i] === 1,
    stem_postgrad: c.stem_postgrad[i] === 1,
    years_experience: c.years_experience[i]!,
    years_senior: c.years_senior[i]!,
    years_international: c.years_international[i]!,
    years_multinational: c.years_multinational[i]!,
    years_specified_industry: c.years_specified_industry[i]!,
    chinese: c.chinese[i] === 1,
    english: c.english[i] === 1,
    other_languages: c.other_languages[i]!,
    annual_income_hkd: c.annual_income_hkd[i]!,
    business_profit_hkd: c.business_profit_hkd[i]!,
    listed_company_stake: c.listed_company_stake[i]!,
    hk_permanent_family: c.hk_permanent_family[i] === 1,
    spouse_accompanying: c.spouse_accompanying[i] === 1,
    spouse_degree: c.spouse_degree[i] === 1,
    children_under_18: c.children_under_18[i]!,
    achievement: ACHIEVEMENTS[c.achievement[i]!] ?? "none",
    financial_means: c.financial_means[i] === 1,
    good_character: c.good_character[i] === 1,
  };
}

/** Build a pool from plain records (tests, small pools, the library API). Records are assumed valid. */
export function poolFromApplicants(applicants: readonly Applicant[]): ApplicantPool {
  const n = applicants.length;
  const c = allocateColumns(n);
  const region = new Dictionary();
  const sector = new Dictionary();
  const profession = new Dictionary([""]);
  const ids: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const a = applicants[i]!;
    ids[i] = a.id;
    c.applied_on[i] = parseIsoDay(a.applied_on);
    c.age[i] = a.age;
    c.sex[i] = Math.max(0, SEXES.indexOf(a.sex));
    c.region[i] = region.code(a.region);
    c.sector[i] = sector.code(a.sector);
    c.profession[i] = profession.code(a.profession);
    c.bachelor_degrees[i] = a.bachelor_degrees;
    c.master_degrees[i] = a.master_degrees;
    c.doctoral_degrees[i] = a.doctoral_degrees;
    c.professional_qualification[i] = a.professional_qualification ? 1 : 0;
    c.renowned_institution[i] = a.renowned_institution ? 1 : 0;
    c.eligible_university_postgrad[i] = a.eligible_university_postgrad ? 1 : 0;
    c.stem_postgrad[i] = a.stem_postgrad ? 1 : 0;
    c.years_experience[i] = a.years_experience;
    c.years_senior[i] = a.years_senior;
    c.years_international[i] = a.years_international;
    c.years_multinational[i] = a.years_multinational;
    c.years_specified_industry[i] = a.years_specified_industry;
    c.chinese[i] = a.chinese ? 1 : 0;
    c.english[i] = a.english ? 1 : 0;
    c.other_languages[i] = a.other_languages;
    c.annual_income_hkd[i] = a.annual_income_hkd;
    c.business_profit_hkd[i] = a.business_profit_hkd;
    c.listed_company_stake[i] = a.listed_company_stake;
    c.hk_permanent_family[i] = a.hk_permanent_family ? 1 : 0;
    c.spouse_accompanying[i] = a.spouse_accompanying ? 1 : 0;
    c.spouse_degree[i] = a.spouse_degree ? 1 : 0;
    c.children_under_18[i] = a.children_under_18;
    c.achievement[i] = Math.max(0, ACHIEVEMENTS.indexOf(a.achievement));
    c.financial_means[i] = a.financial_means ? 1 : 0;
    c.good_character[i] = a.good_character ? 1 : 0;
  }
  return {
    size: n,
    ids: { kind: "list", ids },
    columns: c,
    dictionaries: { region: region.values, sector: sector.values, profession: profession.values },
  };
}
