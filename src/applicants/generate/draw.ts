import type { PoolColumns } from "../pool.js";
import {
  type CompiledSpec,
  type Conditioned,
  type CountSampler,
  guideOf,
  type NumericSampler,
  type ProbabilitySampler,
  pickGuided,
} from "./compile.js";
import { poissonFromUniform, round1 } from "./math.js";
import type { DistributionSpec } from "./spec.js";
import { APPLIED_ON_SLOT, DEGREE_LEVELS, SLOTS_PER_APPLICANT, VARIABLES } from "./variables.js";

/** A variable's samplers with its draw slot and its index in the drawing order. */
interface Resolved<T> {
  c: Conditioned<T>;
  slot: number;
  index: number;
}

const VAR_INDEX = new Map(VARIABLES.map((v, i) => [v.name, i]));

function resolve<T>(table: Record<string, Conditioned<T>>, name: string): Resolved<T> {
  const index = VAR_INDEX.get(name)!;
  return { c: table[name]!, slot: VARIABLES[index]!.slot, index };
}

const DAY_BUCKETS = 4096;

/** Day buckets by profile (dayProfile() keeps each profile, so a replication's quarters reuse them). */
const bucketsOfProfile = new WeakMap<Float64Array, Int32Array>();

/** pickIndex(profile, b / DAY_BUCKETS) for every bucket b, in one merge pass (the edges increase). */
function dayBuckets(profile: Float64Array): Int32Array {
  let buckets = bucketsOfProfile.get(profile);
  if (!buckets) {
    buckets = computeDayBuckets(profile);
    bucketsOfProfile.set(profile, buckets);
  }
  return buckets;
}

function computeDayBuckets(profile: Float64Array): Int32Array {
  const out = new Int32Array(DAY_BUCKETS);
  const last = profile.length - 1;
  let k = 0;
  for (let b = 0; b < DAY_BUCKETS; b++) {
    const x = b / DAY_BUCKETS;
    while (k < last && x >= profile[k]!) k++;
    out[b] = k;
  }
  return out;
}
const DOCTORATE = DEGREE_LEVELS.indexOf("doctorate");
const MASTER = DEGREE_LEVELS.indexOf("master");
const BACHELOR = DEGREE_LEVELS.indexOf("bachelor");

/**
 * The columns a pool can leave unfilled when nobody reads them (a run that scores with one rule set and
 * keeps only the store's columns). Every other column is always drawn: the variables here are leaves
 * (no conditional depends on them), so skipping them changes no other value.
 */
export interface ColumnNeeds {
  renowned_institution: boolean;
  eligible_university_postgrad: boolean;
  stem_postgrad: boolean;
  years_senior: boolean;
  years_international: boolean;
  years_multinational: boolean;
  years_specified_industry: boolean;
  annual_income_hkd: boolean;
  business_profit_hkd: boolean;
  listed_company_stake: boolean;
}
export const OPTIONAL_COLUMNS: readonly (keyof ColumnNeeds)[] = [
  "renowned_institution",
  "eligible_university_postgrad",
  "stem_postgrad",
  "years_senior",
  "years_international",
  "years_multinational",
  "years_specified_industry",
  "annual_income_hkd",
  "business_profit_hkd",
  "listed_company_stake",
];
/** Tables that depend on the spec only, built once per spec (a replication starts a drawer per quarter). Read-only. */
interface SpecTables {
  startAge: Float64Array;
  growthSteps: number;
  growthFactor: Float64Array;
}
const SPEC_TABLES = new WeakMap<DistributionSpec, SpecTables>();

function specTablesOf(spec: DistributionSpec): SpecTables {
  let tables = SPEC_TABLES.get(spec);
  if (!tables) {
    // experience has one decimal, so income growth is a table lookup instead of a power per applicant
    const cap = spec.income.growth_years_cap;
    const growthSteps = Math.round(cap * 10);
    tables = {
      startAge: Float64Array.from(DEGREE_LEVELS, (d) => spec.experience.start_age[d]),
      growthSteps,
      growthFactor: Float64Array.from(
        { length: growthSteps + 1 },
        (_, t) => (1 + spec.income.growth_per_year) ** Math.min(t / 10, cap),
      ),
    };
    SPEC_TABLES.set(spec, tables);
  }
  return tables;
}

/**
 * A copy of `need` built by one object literal, so every drawer's needs share one hidden class: a
 * spread copy took its shape from the source (a literal or Object.fromEntries), and code reading it
 * was recompiled each time the other shape came by (7 times in 1,000 replications).
 */
function fixedShape(need: ColumnNeeds): ColumnNeeds {
  return {
    renowned_institution: need.renowned_institution,
    eligible_university_postgrad: need.eligible_university_postgrad,
    stem_postgrad: need.stem_postgrad,
    years_senior: need.years_senior,
    years_international: need.years_international,
    years_multinational: need.years_multinational,
    years_specified_industry: need.years_specified_industry,
    annual_income_hkd: need.annual_income_hkd,
    business_profit_hkd: need.business_profit_hkd,
    listed_company_stake: need.listed_company_stake,
  };
}
const ALL_COLUMNS: ColumnNeeds = Object.fromEntries(
  OPTIONAL_COLUMNS.map((c) => [c, true]),
) as unknown as ColumnNeeds;

/**
 * Turns a block's uniforms (`u`, filled by the caller) into rows of the columns, one variable at a
 * time over the whole range of applicants (as a numpy program would) rather than one applicant at a
 * time. On its own that is about as fast (≈2 µs an applicant on the shared VM, both ways); what it
 * buys is that a variable nobody reads can be skipped whole (ColumnNeeds: −25 % for a 2018 points
 * run) and a share drawn only where its flag is set. The arithmetic is unchanged, so the values are
 * the same to the bit (test/generate/stream-pinned.test.ts).
 *
 * State carried between variables (age, experience, degree level, extra degrees, category codes) is
 * kept per block applicant j. A value whose use depends on another (a second degree, a spouse's degree)
 * is drawn for everyone and used where it applies: each variable owns its uniform, so drawing it
 * unused changes nothing else.
 */
export class ApplicantDrawer {
  /** the block's uniforms: applicant j's draws are u[j × SLOTS_PER_APPLICANT + slot] */
  u: Float64Array = new Float64Array(0);
  /** per categorical variable (by index in VARIABLES): the code of block applicant j */
  private readonly codes: Int32Array[];
  private readonly ages: Float64Array;
  private readonly exps: Float64Array;
  private readonly levels: Int32Array;
  private readonly extrasOf: Int32Array;
  /** scratch columns of one variable's draws over the block */
  private readonly numA: Float64Array;
  private readonly numB: Float64Array;
  private readonly flagA: Uint8Array;
  private readonly flagB: Uint8Array;
  private readonly flagC: Uint8Array;
  /** experience = 0 for every applicant: what probabilities drawn before experience see */
  private readonly noExperience: Float64Array;
  private readonly col: PoolColumns;
  /** the columns to fill (the others stay 0; see ColumnNeeds) */
  private readonly need: ColumnNeeds;
  private readonly professionCode: Uint16Array;
  private readonly startAge: Float64Array;
  private readonly extraYears: number;
  private readonly growthFactor: Float64Array;
  private readonly growthSteps: number;
  private readonly roundTo: number;
  private readonly firstDay: number;
  private readonly days: number;
  private readonly dayProfile: Float64Array | undefined;
  /** per bucket b of [0, 1): pickIndex(dayProfile, b / DAY_BUCKETS) */
  private readonly dayBuckets: Int32Array | undefined;

  private readonly sexV: Resolved<Float64Array>;
  private readonly regionV: Resolved<Float64Array>;
  private readonly sectorV: Resolved<Float64Array>;
  private readonly degreeV: Resolved<Float64Array>;
  private readonly professionV: Resolved<Float64Array>;
  private readonly achievementV: Resolved<Float64Array>;
  private readonly ageV: Resolved<NumericSampler>;
  private readonly noiseV: Resolved<NumericSampler>;
  private readonly onsetV: Resolved<NumericSampler>;
  private readonly seniorShareV: Resolved<NumericSampler>;
  private readonly intlShareV: Resolved<NumericSampler>;
  private readonly mncShareV: Resolved<NumericSampler>;
  private readonly specShareV: Resolved<NumericSampler>;
  private readonly otherLangV: Resolved<NumericSampler>;
  private readonly incomeV: Resolved<NumericSampler>;
  private readonly profitV: Resolved<NumericSampler>;
  private readonly stakeV: Resolved<NumericSampler>;
  private readonly bachelorFirstV: Resolved<ProbabilitySampler>;
  private readonly masterFirstV: Resolved<ProbabilitySampler>;
  private readonly extraBachelorV: Resolved<ProbabilitySampler>;
  private readonly extraMasterV: Resolved<ProbabilitySampler>;
  private readonly extraDoctorateV: Resolved<ProbabilitySampler>;
  private readonly pqV: Resolved<ProbabilitySampler>;
  private readonly renownedV: Resolved<ProbabilitySampler>;
  private readonly eligibleV: Resolved<ProbabilitySampler>;
  private readonly stemV: Resolved<ProbabilitySampler>;
  private readonly intlV: Resolved<ProbabilitySampler>;
  private readonly mncV: Resolved<ProbabilitySampler>;
  private readonly specV: Resolved<ProbabilitySampler>;
  private readonly chineseV: Resolved<ProbabilitySampler>;
  private readonly englishV: Resolved<ProbabilitySampler>;
  private readonly businessV: Resolved<ProbabilitySampler>;
  private readonly stakeHolderV: Resolved<ProbabilitySampler>;
  private readonly familyV: Resolved<ProbabilitySampler>;
  private readonly spouseV: Resolved<ProbabilitySampler>;
  private readonly spouseDegreeV: Resolved<ProbabilitySampler>;
  private readonly meansV: Resolved<ProbabilitySampler>;
  private readonly characterV: Resolved<ProbabilitySampler>;
  private readonly childrenV: Resolved<CountSampler>;

  constructor(
    blockSize: number,
    spec: DistributionSpec,
    compiled: CompiledSpec,
    columns: PoolColumns,
    professionCode: Uint16Array,
    dates: { from: number; to: number; profile: Float64Array | undefined },
    need: ColumnNeeds = ALL_COLUMNS,
  ) {
    this.col = fastColumns(columns);
    this.need = fixedShape(need);
    this.codes = VARIABLES.map((v) =>
      v.kind === "categorical" ? new Int32Array(blockSize) : new Int32Array(0),
    );
    this.ages = new Float64Array(blockSize);
    this.exps = new Float64Array(blockSize);
    this.levels = new Int32Array(blockSize);
    this.extrasOf = new Int32Array(blockSize);
    this.numA = new Float64Array(blockSize);
    this.numB = new Float64Array(blockSize);
    this.flagA = new Uint8Array(blockSize);
    this.flagB = new Uint8Array(blockSize);
    this.flagC = new Uint8Array(blockSize);
    this.noExperience = new Float64Array(blockSize);
    this.professionCode = professionCode;
    const tables = specTablesOf(spec);
    this.startAge = tables.startAge;
    this.extraYears = spec.experience.extra_degree_years;
    this.growthSteps = tables.growthSteps;
    this.growthFactor = tables.growthFactor;
    this.roundTo = spec.income.round_to;
    this.firstDay = dates.from;
    this.days = dates.to - dates.from + 1;
    this.dayProfile = dates.profile;
    const profile = dates.profile;
    this.dayBuckets = profile ? dayBuckets(profile) : undefined;

    const K = compiled.categorical;
    const N = compiled.numeric;
    const P = compiled.probability;
    this.sexV = resolve(K, "sex");
    this.regionV = resolve(K, "region");
    this.sectorV = resolve(K, "sector");
    this.degreeV = resolve(K, "highest_degree");
    this.professionV = resolve(K, "profession");
    this.achievementV = resolve(K, "achievement");
    this.ageV = resolve(N, "age");
    this.noiseV = resolve(N, "experience_noise");
    this.onsetV = resolve(N, "senior_onset");
    this.seniorShareV = resolve(N, "senior_share");
    this.intlShareV = resolve(N, "international_share");
    this.mncShareV = resolve(N, "multinational_share");
    this.specShareV = resolve(N, "specified_industry_share");
    this.otherLangV = resolve(N, "other_languages");
    this.incomeV = resolve(N, "income_base");
    this.profitV = resolve(N, "business_profit");
    this.stakeV = resolve(N, "listed_stake_share");
    this.bachelorFirstV = resolve(P, "bachelor_before_postgrad");
    this.masterFirstV = resolve(P, "master_before_doctorate");
    this.extraBachelorV = resolve(P, "extra_bachelor");
    this.extraMasterV = resolve(P, "extra_master");
    this.extraDoctorateV = resolve(P, "extra_doctorate");
    this.pqV = resolve(P, "professional_qualification");
    this.renownedV = resolve(P, "renowned_institution");
    this.eligibleV = resolve(P, "eligible_university_postgrad");
    this.stemV = resolve(P, "stem_postgrad");
    this.intlV = resolve(P, "has_international");
    this.mncV = resolve(P, "has_multinational");
    this.specV = resolve(P, "has_specified_industry");
    this.chineseV = resolve(P, "chinese");
    this.englishV = resolve(P, "english");
    this.businessV = resolve(P, "has_business");
    this.stakeHolderV = resolve(P, "has_listed_stake");
    this.familyV = resolve(P, "hk_permanent_family");
    this.spouseV = resolve(P, "spouse_accompanying");
    this.spouseDegreeV = resolve(P, "spouse_degree");
    this.meansV = resolve(P, "financial_means");
    this.characterV = resolve(P, "good_character");
    this.childrenV = resolve(compiled.count, "children");
  }

  /** Draw block applicants j0 … j1 − 1 into rows k0 … , variable by variable in VARIABLES order. */
  drawRange(k0: number, j0: number, j1: number): void {
    const at = k0 - j0;
    this.identity(at, j0, j1);
    this.degrees(at, j0, j1);
    this.experience(at, j0, j1);
    this.languagesAndMoney(at, j0, j1);
    this.familyAndPrerequisites(at, j0, j1);
  }

  // ---- one variable over the range ----

  /** guide tables of each categorical variable's cumulative shares (by index in VARIABLES) */
  private readonly guides: Int32Array[][] = [];

  private guidesOf(r: Resolved<Float64Array>): Int32Array[] {
    let guides = this.guides[r.index];
    if (!guides) {
      guides = r.c.table.map(guideOf);
      this.guides[r.index] = guides;
    }
    return guides;
  }

  /** Category codes of a categorical variable into its code column (and into `col` at `at`, if given). */
  private cats(
    r: Resolved<Float64Array>,
    j0: number,
    j1: number,
    col?: Uint8Array | Uint16Array,
    at = 0,
  ): Int32Array {
    const out = this.codes[r.index]!;
    const u = this.u;
    const slot = r.slot;
    const table = r.c.table;
    const guides = this.guidesOf(r);
    if (r.c.parent < 0) {
      const cum = table[0]!;
      const guide = guides[0]!;
      for (let j = j0; j < j1; j++) out[j] = pickGuided(cum, guide, u[j * SLOTS_PER_APPLICANT + slot]!);
    } else {
      const parent = this.codes[r.c.parent]!;
      for (let j = j0; j < j1; j++) {
        const code = parent[j]!;
        out[j] = pickGuided(table[code]!, guides[code]!, u[j * SLOTS_PER_APPLICANT + slot]!);
      }
    }
    if (col) for (let j = j0; j < j1; j++) col[at + j] = out[j]!;
    return out;
  }

  /** Draws of a numeric variable into `out`. */
  private nums(r: Resolved<NumericSampler>, j0: number, j1: number, out: Float64Array): Float64Array {
    const u = this.u;
    const slot = r.slot;
    const table = r.c.table;
    if (r.c.parent < 0) table[0]!.sampleRange(u, SLOTS_PER_APPLICANT, slot, j0, j1, out);
    else {
      const parent = this.codes[r.c.parent]!;
      for (let j = j0; j < j1; j++) out[j] = table[parent[j]!]!.sample(u[j * SLOTS_PER_APPLICANT + slot]!);
    }
    return out;
  }

  /** nums() for the applicants whose `where` flag is set (the others' entries are left as they were). */
  private numsWhere(
    r: Resolved<NumericSampler>,
    j0: number,
    j1: number,
    out: Float64Array,
    where: Uint8Array,
  ): Float64Array {
    const u = this.u;
    const slot = r.slot;
    const table = r.c.table;
    const parent = r.c.parent < 0 ? null : this.codes[r.c.parent]!;
    for (let j = j0; j < j1; j++)
      if (where[j]) out[j] = table[parent ? parent[j]! : 0]!.sample(u[j * SLOTS_PER_APPLICANT + slot]!);
    return out;
  }

  /**
   * Outcomes (0/1) of a probability into out[at + j] (a scratch column with at = 0, or straight into a
   * pool column); curves see each applicant's age and `exps`.
   */
  private probs(
    r: Resolved<ProbabilitySampler>,
    j0: number,
    j1: number,
    out: Uint8Array,
    exps: Float64Array,
    at = 0,
  ): Uint8Array {
    const u = this.u;
    const slot = r.slot;
    const constant = r.c.constant!;
    if (r.c.parent < 0 && !Number.isNaN(constant[0]!)) {
      const p = constant[0]!;
      for (let j = j0; j < j1; j++) out[at + j] = u[j * SLOTS_PER_APPLICANT + slot]! < p ? 1 : 0;
      return out;
    }
    const table = r.c.table;
    const parent = r.c.parent < 0 ? null : this.codes[r.c.parent]!;
    const ages = this.ages;
    for (let j = j0; j < j1; j++) {
      const code = parent ? parent[j]! : 0;
      const p = constant[code]!;
      out[at + j] =
        u[j * SLOTS_PER_APPLICANT + slot]! < (Number.isNaN(p) ? table[code]!(ages[j]!, exps[j]!) : p) ? 1 : 0;
    }
    return out;
  }

  // ---- the applicant, in the order of VARIABLES ----

  private identity(at: number, j0: number, j1: number): void {
    const c = this.col;
    this.cats(this.sexV, j0, j1, c.sex, at);
    this.cats(this.regionV, j0, j1, c.region, at);
    const ages = this.nums(this.ageV, j0, j1, this.ages);
    for (let j = j0; j < j1; j++) c.age[at + j] = ages[j]!;
    this.cats(this.sectorV, j0, j1, c.sector, at);
    const u = this.u;
    const profile = this.dayProfile;
    const first = this.firstDay;
    const days = this.days;
    if (profile) {
      // the first k with x < profile[k], found from the bucket of x: starting at the answer for the
      // bucket's lower edge and stepping on gives exactly pickIndex's answer, in about one step instead
      // of a binary search over the ~90 days
      const start = this.dayBuckets!;
      const last = profile.length - 1;
      for (let j = j0; j < j1; j++) {
        const x = u[j * SLOTS_PER_APPLICANT + APPLIED_ON_SLOT]!;
        let k = start[Math.floor(x * DAY_BUCKETS)]!;
        while (k < last && x >= profile[k]!) k++;
        c.applied_on[at + j] = first + k;
      }
    } else
      for (let j = j0; j < j1; j++)
        c.applied_on[at + j] =
          first + Math.min(days - 1, Math.floor(u[j * SLOTS_PER_APPLICANT + APPLIED_ON_SLOT]! * days));
  }

  private degrees(at: number, j0: number, j1: number): void {
    const c = this.col;
    const ages = this.ages;
    const startAge = this.startAge;
    const levels = this.levels;
    // nobody holds a degree years before its usual age: lower the level until it fits (conditionals
    // drawn later, e.g. renowned_institution given highest_degree, see the lowered level)
    const degree = this.cats(this.degreeV, j0, j1);
    for (let j = j0; j < j1; j++) {
      let level = degree[j]!;
      while (level > 0 && ages[j]! < startAge[level]! - 1) level--;
      degree[j] = level;
      levels[j] = level;
    }
    const profession = this.cats(this.professionV, j0, j1);
    for (let j = j0; j < j1; j++) c.profession[at + j] = this.professionCode[profession[j]!]!;

    // degree counts nest: a doctorate usually follows a master's, a postgraduate degree a bachelor's;
    // a second degree of a kind counts only when the age leaves extra_degree_years for it
    const none = this.noExperience;
    const masterFirst = this.probs(this.masterFirstV, j0, j1, this.flagA, none);
    const bachelorFirst = this.probs(this.bachelorFirstV, j0, j1, this.flagB, none);
    const extraD = this.probs(this.extraDoctorateV, j0, j1, this.flagC, none);
    const extraYears = this.extraYears;
    const extrasOf = this.extrasOf;
    const { doctoral_degrees, master_degrees, bachelor_degrees } = c;
    for (let j = j0; j < j1; j++) {
      const level = levels[j]!;
      const room = ages[j]! - startAge[level]! + 1;
      let extras = 0;
      let d = 0;
      if (level === DOCTORATE) {
        d = 1;
        if (extraD[j] && (extras + 1) * extraYears <= room) {
          extras++;
          d = 2;
        }
      }
      extrasOf[j] = extras;
      doctoral_degrees[at + j] = d;
      master_degrees[at + j] = level === MASTER || (level === DOCTORATE && masterFirst[j]) ? 1 : 0;
      bachelor_degrees[at + j] = level === BACHELOR || (level > BACHELOR && bachelorFirst[j]) ? 1 : 0;
    }
    const extraM = this.probs(this.extraMasterV, j0, j1, this.flagC, none);
    for (let j = j0; j < j1; j++) {
      if (
        master_degrees[at + j] &&
        extraM[j] &&
        (extrasOf[j]! + 1) * extraYears <= ages[j]! - startAge[levels[j]!]! + 1
      ) {
        extrasOf[j]!++;
        master_degrees[at + j] = 2;
      }
    }
    const extraB = this.probs(this.extraBachelorV, j0, j1, this.flagC, none);
    for (let j = j0; j < j1; j++) {
      if (
        bachelor_degrees[at + j] &&
        extraB[j] &&
        (extrasOf[j]! + 1) * extraYears <= ages[j]! - startAge[levels[j]!]! + 1
      ) {
        extrasOf[j]!++;
        bachelor_degrees[at + j] = 2;
      }
    }
    this.probs(this.pqV, j0, j1, c.professional_qualification, none, at);
    if (this.need.renowned_institution) {
      const renowned = this.probs(this.renownedV, j0, j1, this.flagA, none);
      for (let j = j0; j < j1; j++) c.renowned_institution[at + j] = levels[j]! > 0 && renowned[j] ? 1 : 0;
    }
    if (this.need.eligible_university_postgrad || this.need.stem_postgrad) {
      const eligible = this.probs(this.eligibleV, j0, j1, this.flagA, none);
      const stem = this.probs(this.stemV, j0, j1, this.flagB, none);
      for (let j = j0; j < j1; j++) {
        const e = levels[j]! >= MASTER && eligible[j] ? 1 : 0;
        c.eligible_university_postgrad[at + j] = e;
        c.stem_postgrad[at + j] = e && stem[j] ? 1 : 0;
      }
    }
  }

  /** From the usual start age of the highest degree (later for extra degrees), with noise, never more
   * than age − 14; senior, international, multinational and specified-industry years are shares of it. */
  private experience(at: number, j0: number, j1: number): void {
    this.experienceYears(at, j0, j1);
    const c = this.col;
    const need = this.need;
    if (need.years_senior) this.seniorYears(at, j0, j1);
    if (need.years_international)
      this.shareOfExperience(this.intlV, this.intlShareV, c.years_international, at, j0, j1);
    if (need.years_multinational)
      this.shareOfExperience(this.mncV, this.mncShareV, c.years_multinational, at, j0, j1);
    if (need.years_specified_industry)
      this.shareOfExperience(this.specV, this.specShareV, c.years_specified_industry, at, j0, j1);
  }

  // The loops are methods of their own, with nothing after the loop: V8 compiles a long-running loop
  // on the stack (OSR) before the code after it has ever run, and when that code lacked feedback the
  // same OSR code was entered and deoptimized on every call (≈990 times in 4M applicants: experience()
  // ran mostly unoptimized, ≈100 ns an applicant).
  private experienceYears(at: number, j0: number, j1: number): void {
    const out = this.col.years_experience;
    const ages = this.ages;
    const exps = this.exps;
    const startAge = this.startAge;
    const levels = this.levels;
    const extrasOf = this.extrasOf;
    const extraYears = this.extraYears;
    const noise = this.nums(this.noiseV, j0, j1, this.numA);
    for (let j = j0; j < j1; j++) {
      const age = ages[j]!;
      const raw = age - startAge[levels[j]!]! - extrasOf[j]! * extraYears + noise[j]!;
      const exp = round1(Math.min(age - 14, Math.max(0, raw)));
      exps[j] = exp;
      out[at + j] = exp;
    }
  }

  private seniorYears(at: number, j0: number, j1: number): void {
    const exps = this.exps;
    const out = this.col.years_senior;
    const share = this.nums(this.seniorShareV, j0, j1, this.numA);
    const onset = this.nums(this.onsetV, j0, j1, this.numB);
    for (let j = j0; j < j1; j++) {
      const exp = exps[j]!;
      out[at + j] = Math.min(exp, round1(share[j]! * Math.max(0, exp - onset[j]!)));
    }
  }

  /** Years of a kind: a share of the experience for those who have any, else 0. */
  private shareOfExperience(
    has: Resolved<ProbabilitySampler>,
    share: Resolved<NumericSampler>,
    out: Float64Array,
    at: number,
    j0: number,
    j1: number,
  ): void {
    const exps = this.exps;
    const flag = this.probs(has, j0, j1, this.flagA, exps);
    const s = this.numsWhere(share, j0, j1, this.numA, flag);
    for (let j = j0; j < j1; j++) {
      const exp = exps[j]!;
      out[at + j] = flag[j] ? Math.min(exp, round1(s[j]! * exp)) : 0;
    }
  }

  private languagesAndMoney(at: number, j0: number, j1: number): void {
    const c = this.col;
    const exps = this.exps;
    this.probs(this.chineseV, j0, j1, c.chinese, exps, at);
    this.probs(this.englishV, j0, j1, c.english, exps, at);
    const other = this.nums(this.otherLangV, j0, j1, this.numA);
    for (let j = j0; j < j1; j++) c.other_languages[at + j] = other[j]!;
    const roundTo = this.roundTo;
    const need = this.need;
    if (need.annual_income_hkd) {
      const growth = this.growthFactor;
      const steps = this.growthSteps;
      const income = this.nums(this.incomeV, j0, j1, this.numA);
      for (let j = j0; j < j1; j++) {
        const grown = income[j]! * growth[Math.min(Math.round(exps[j]! * 10), steps)]!;
        c.annual_income_hkd[at + j] = Math.round(grown / roundTo) * roundTo;
      }
    }
    if (need.business_profit_hkd) {
      const business = this.probs(this.businessV, j0, j1, this.flagA, exps);
      const profit = this.numsWhere(this.profitV, j0, j1, this.numA, business);
      for (let j = j0; j < j1; j++)
        c.business_profit_hkd[at + j] = business[j] ? Math.round(profit[j]! / roundTo) * roundTo : 0;
    }
    if (need.listed_company_stake) {
      const holder = this.probs(this.stakeHolderV, j0, j1, this.flagA, exps);
      const stake = this.numsWhere(this.stakeV, j0, j1, this.numA, holder);
      for (let j = j0; j < j1; j++)
        c.listed_company_stake[at + j] = holder[j] ? Math.round(stake[j]! * 1e4) / 1e4 : 0;
    }
  }

  private familyAndPrerequisites(at: number, j0: number, j1: number): void {
    const c = this.col;
    const exps = this.exps;
    const ages = this.ages;
    this.probs(this.familyV, j0, j1, c.hk_permanent_family, exps, at);
    const spouse = this.probs(this.spouseV, j0, j1, this.flagB, exps);
    const spouseDegree = this.probs(this.spouseDegreeV, j0, j1, this.flagA, exps);
    for (let j = j0; j < j1; j++) {
      c.spouse_accompanying[at + j] = spouse[j]!;
      c.spouse_degree[at + j] = spouse[j] && spouseDegree[j] ? 1 : 0;
    }
    const r = this.childrenV;
    const u = this.u;
    const parent = r.c.parent < 0 ? null : this.codes[r.c.parent]!;
    for (let j = j0; j < j1; j++) {
      const children = r.c.table[parent ? parent[j]! : 0]!;
      const mean = children.mean(ages[j]!, exps[j]!) * (spouse[j] ? 1 : children.withoutSpouseFactor);
      c.children_under_18[at + j] = poissonFromUniform(
        u[j * SLOTS_PER_APPLICANT + r.slot]!,
        mean,
        children.max,
      );
    }
    this.cats(this.achievementV, j0, j1, c.achievement, at);
    this.probs(this.meansV, j0, j1, c.financial_means, exps, at);
    this.probs(this.characterV, j0, j1, c.good_character, exps, at);
  }
}

/** The columns as an object literal with a fixed shape (the pool's own object is built key by key). */
function fastColumns(c: PoolColumns): PoolColumns {
  return {
    applied_on: c.applied_on,
    age: c.age,
    sex: c.sex,
    region: c.region,
    sector: c.sector,
    profession: c.profession,
    bachelor_degrees: c.bachelor_degrees,
    master_degrees: c.master_degrees,
    doctoral_degrees: c.doctoral_degrees,
    professional_qualification: c.professional_qualification,
    renowned_institution: c.renowned_institution,
    eligible_university_postgrad: c.eligible_university_postgrad,
    stem_postgrad: c.stem_postgrad,
    years_experience: c.years_experience,
    years_senior: c.years_senior,
    years_international: c.years_international,
    years_multinational: c.years_multinational,
    years_specified_industry: c.years_specified_industry,
    chinese: c.chinese,
    english: c.english,
    other_languages: c.other_languages,
    annual_income_hkd: c.annual_income_hkd,
    business_profit_hkd: c.business_profit_hkd,
    listed_company_stake: c.listed_company_stake,
    hk_permanent_family: c.hk_permanent_family,
    spouse_accompanying: c.spouse_accompanying,
    spouse_degree: c.spouse_degree,
    children_under_18: c.children_under_18,
    achievement: c.achievement,
    financial_means: c.financial_means,
    good_character: c.good_character,
  };
}
