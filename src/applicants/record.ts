/**
 * The applicant record of the applicant CSV (docs/applicant-csv.md, contract version 1). Field names are the CSV
 * column names, so one spelling is used from the CSV file through the engine to every report.
 */
export const SEXES = ["F", "M", "X"] as const;
export type Sex = (typeof SEXES)[number];

export const ACHIEVEMENTS = ["none", "award", "recognition"] as const;
export type Achievement = (typeof ACHIEVEMENTS)[number];

export interface Applicant {
  id: string;
  /** ISO date YYYY-MM-DD */
  applied_on: string;
  age: number;
  sex: Sex;
  region: string;
  sector: string;
  /** empty string = no profession given */
  profession: string;
  bachelor_degrees: number;
  master_degrees: number;
  doctoral_degrees: number;
  professional_qualification: boolean;
  renowned_institution: boolean;
  eligible_university_postgrad: boolean;
  stem_postgrad: boolean;
  years_experience: number;
  years_senior: number;
  years_international: number;
  years_multinational: number;
  years_specified_industry: number;
  chinese: boolean;
  english: boolean;
  other_languages: number;
  annual_income_hkd: number;
  business_profit_hkd: number;
  listed_company_stake: number;
  hk_permanent_family: boolean;
  spouse_accompanying: boolean;
  spouse_degree: boolean;
  children_under_18: number;
  achievement: Achievement;
  financial_means: boolean;
  good_character: boolean;
}

export type ApplicantField = keyof Applicant;

export type ColumnType = "text" | "date" | "integer" | "number" | "boolean" | "sex" | "achievement";

export interface ColumnSpec {
  name: ApplicantField;
  type: ColumnType;
  required: boolean;
  /** value used when the column is absent or the cell is empty (required columns have none) */
  default?: string | number | boolean;
  min?: number;
  max?: number;
}

/** Column order used whenever qmas-sim writes an applicant CSV. */
export const APPLICANT_COLUMNS: readonly ColumnSpec[] = [
  { name: "id", type: "text", required: true },
  { name: "applied_on", type: "date", required: true },
  { name: "age", type: "integer", required: true, min: 0, max: 120 },
  { name: "sex", type: "sex", required: false, default: "X" },
  { name: "region", type: "text", required: false, default: "other" },
  { name: "sector", type: "text", required: false, default: "other" },
  { name: "profession", type: "text", required: false, default: "" },
  { name: "bachelor_degrees", type: "integer", required: false, default: 0, min: 0, max: 255 },
  { name: "master_degrees", type: "integer", required: false, default: 0, min: 0, max: 255 },
  { name: "doctoral_degrees", type: "integer", required: false, default: 0, min: 0, max: 255 },
  { name: "professional_qualification", type: "boolean", required: false, default: false },
  { name: "renowned_institution", type: "boolean", required: false, default: false },
  { name: "eligible_university_postgrad", type: "boolean", required: false, default: false },
  { name: "stem_postgrad", type: "boolean", required: false, default: false },
  { name: "years_experience", type: "number", required: false, default: 0, min: 0 },
  { name: "years_senior", type: "number", required: false, default: 0, min: 0 },
  { name: "years_international", type: "number", required: false, default: 0, min: 0 },
  { name: "years_multinational", type: "number", required: false, default: 0, min: 0 },
  { name: "years_specified_industry", type: "number", required: false, default: 0, min: 0 },
  { name: "chinese", type: "boolean", required: false, default: false },
  { name: "english", type: "boolean", required: false, default: false },
  { name: "other_languages", type: "integer", required: false, default: 0, min: 0, max: 255 },
  { name: "annual_income_hkd", type: "number", required: false, default: 0, min: 0 },
  { name: "business_profit_hkd", type: "number", required: false, default: 0, min: 0 },
  { name: "listed_company_stake", type: "number", required: false, default: 0, min: 0, max: 1 },
  { name: "hk_permanent_family", type: "boolean", required: false, default: false },
  { name: "spouse_accompanying", type: "boolean", required: false, default: false },
  { name: "spouse_degree", type: "boolean", required: false, default: false },
  { name: "children_under_18", type: "integer", required: false, default: 0, min: 0, max: 255 },
  { name: "achievement", type: "achievement", required: false, default: "none" },
  { name: "financial_means", type: "boolean", required: false, default: true },
  { name: "good_character", type: "boolean", required: false, default: true },
];

export const NUMERIC_FIELDS = [
  "age",
  "bachelor_degrees",
  "master_degrees",
  "doctoral_degrees",
  "years_experience",
  "years_senior",
  "years_international",
  "years_multinational",
  "years_specified_industry",
  "other_languages",
  "annual_income_hkd",
  "business_profit_hkd",
  "listed_company_stake",
  "children_under_18",
] as const satisfies readonly ApplicantField[];
export type NumericField = (typeof NUMERIC_FIELDS)[number];

export const BOOLEAN_FIELDS = [
  "professional_qualification",
  "renowned_institution",
  "eligible_university_postgrad",
  "stem_postgrad",
  "chinese",
  "english",
  "hk_permanent_family",
  "spouse_accompanying",
  "spouse_degree",
  "financial_means",
  "good_character",
] as const satisfies readonly ApplicantField[];
export type BooleanField = (typeof BOOLEAN_FIELDS)[number];

/** Text-keyed fields, stored as dictionary codes in a pool. */
export const CATEGORICAL_FIELDS = [
  "sex",
  "region",
  "sector",
  "profession",
  "achievement",
] as const satisfies readonly ApplicantField[];
export type CategoricalField = (typeof CATEGORICAL_FIELDS)[number];

/** An applicant with every optional column at its default: a base for tests and examples. */
export function defaultApplicant(id: string, applied_on: string, age: number): Applicant {
  return {
    id,
    applied_on,
    age,
    sex: "X",
    region: "other",
    sector: "other",
    profession: "",
    bachelor_degrees: 0,
    master_degrees: 0,
    doctoral_degrees: 0,
    professional_qualification: false,
    renowned_institution: false,
    eligible_university_postgrad: false,
    stem_postgrad: false,
    years_experience: 0,
    years_senior: 0,
    years_international: 0,
    years_multinational: 0,
    years_specified_industry: 0,
    chinese: false,
    english: false,
    other_languages: 0,
    annual_income_hkd: 0,
    business_profit_hkd: 0,
    listed_company_stake: 0,
    hk_permanent_family: false,
    spouse_accompanying: false,
    spouse_degree: false,
    children_under_18: 0,
    achievement: "none",
    financial_means: true,
    good_character: true,
  };
}
