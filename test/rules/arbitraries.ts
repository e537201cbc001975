import fc from "fast-check";
import { type Applicant, defaultApplicant } from "../../src/applicants/record.js";
import { formatIsoDay, parseIsoDay, todayIsoDay } from "../../src/dates.js";

/** Days where something changes (rule sets, Talent Lists) and the day before each. */
const EDGE_DATES = [
  "2006-06-28",
  "2008-01-20",
  "2008-01-21",
  "2015-05-04",
  "2018-08-27",
  "2018-08-28",
  "2021-10-06",
  "2022-12-31",
  "2023-01-01",
  "2023-05-16",
  "2024-10-31",
  "2024-11-01",
];
const FIRST = parseIsoDay("2006-06-28");

const years = fc.oneof(
  fc.constantFrom(0, 1.9, 2, 2.9, 3, 4.9, 5, 9.9, 10, 12),
  fc.double({ min: 0, max: 45, noNaN: true, noDefaultInfinity: true }),
);
const smallCount = fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.integer({ min: 0, max: 255 }));

export const professions = [
  "",
  "actuary",
  "fintech_professional",
  "data_scientist",
  "esg_finance_professional",
  "doctor",
  "nurse",
  "teacher",
  "chef",
];

export const appliedOn = fc.oneof(
  fc.constantFrom(...EDGE_DATES),
  fc.integer({ min: FIRST, max: todayIsoDay() + 400 }).map(formatIsoDay),
);

/** Random applicants that stress every band edge (ages 17/18/24/25/39/40/44/45/50/51, 1.9/2/4.9/5/9.9/10 years). */
export const applicantArb: fc.Arbitrary<Applicant> = fc
  .record({
    applied_on: appliedOn,
    age: fc.oneof(
      fc.constantFrom(17, 18, 24, 25, 29, 30, 34, 35, 39, 40, 44, 45, 50, 51),
      fc.integer({ min: 0, max: 120 }),
    ),
    sex: fc.constantFrom("F", "M", "X" as const),
    profession: fc.constantFrom(...professions),
    bachelor_degrees: smallCount,
    master_degrees: smallCount,
    doctoral_degrees: smallCount,
    professional_qualification: fc.boolean(),
    renowned_institution: fc.boolean(),
    eligible_university_postgrad: fc.boolean(),
    stem_postgrad: fc.boolean(),
    years_experience: years,
    years_senior: years,
    years_international: years,
    years_multinational: years,
    years_specified_industry: years,
    chinese: fc.boolean(),
    english: fc.boolean(),
    other_languages: smallCount,
    annual_income_hkd: fc.oneof(
      fc.constantFrom(0, 999_999, 1_000_000),
      fc.double({ min: 0, max: 5e6, noNaN: true, noDefaultInfinity: true }),
    ),
    business_profit_hkd: fc.oneof(
      fc.constantFrom(0, 4_999_999, 5_000_000),
      fc.double({ min: 0, max: 2e7, noNaN: true, noDefaultInfinity: true }),
    ),
    listed_company_stake: fc.constantFrom(0, 0.05, 0.1, 0.5, 1),
    hk_permanent_family: fc.boolean(),
    spouse_accompanying: fc.boolean(),
    spouse_degree: fc.boolean(),
    children_under_18: smallCount,
    achievement: fc.constantFrom("none", "none", "none", "none", "award", "recognition" as const),
    financial_means: fc.oneof(fc.constant(true), fc.boolean()),
    good_character: fc.oneof(fc.constant(true), fc.boolean()),
  })
  .map((r) => ({ ...defaultApplicant("x", r.applied_on, r.age), ...r }) as Applicant);
