import { formatIsoDay, parseIsoDay } from "../dates.js";
import { UsageError } from "../errors.js";
import { createRng, deriveSeed, type Rng } from "../random.js";
import {
  type CompiledSpec,
  type Conditioned,
  compileSpec,
  dayProfile,
  type NumericSampler,
  type ProbabilitySampler,
  pickIndex,
} from "./gen-compile.js";
import { poissonFromUniform, round1 } from "./gen-math.js";
import { APPLIED_ON_SLOT, DEGREE_LEVELS, SLOTS_PER_APPLICANT, VARIABLES } from "./gen-variables.js";
import { allocateColumns, type ApplicantPool, type IdSource } from "./pool.js";
import type { DistributionSpec } from "./spec.js";

/**
 * Synthetic applicants, keyed by (seed, applicant index) rather than by call order:
 *
 * - indices are grouped in blocks of BLOCK_SIZE; block b has its own alea stream seeded with
 *   deriveSeed(seed, GENERATOR_STREAM, b) (one sha256 per 4,096 applicants, not per applicant);
 * - every applicant consumes exactly SLOTS_PER_APPLICANT uniforms of its block's stream, and each
 *   variable reads its own fixed slot, so applicant i is found by skipping (i mod BLOCK_SIZE) × 48
 *   draws. Applicant i is therefore the same whatever the count or start index, and a spec override
 *   that changes one variable leaves every other variable's draws untouched.
 */
export const BLOCK_SIZE = 4096;
export const GENERATOR_STREAM = "qmas-gen/1";
export const GENERATOR_ALGORITHM = `${GENERATOR_STREAM}: seedrandom alea per block of ${BLOCK_SIZE} applicants (seed = sha256(seed, block)), ${SLOTS_PER_APPLICANT} uniforms per applicant, one fixed slot per variable, inverse-CDF sampling`;

export interface GenerateOptions {
  count: number;
  seed: string | number;
  /** first application date (ISO); default: the spec's period.from */
  from?: string;
  /** last application date (ISO, inclusive); default: the spec's period.to */
  to?: string;
  /** global index of the first applicant (id = prefix + (index + 1)); default 0 */
  startIndex?: number;
  /** called every BLOCK_SIZE applicants with the number generated so far */
  onProgress?: (done: number) => void;
}

interface Resolved<T> {
  c: Conditioned<T>;
  slot: number;
  index: number;
}

const VAR_INDEX = new Map(VARIABLES.map((v, i) => [v.name, i]));
function slotOf(name: string): number {
  return VARIABLES[VAR_INDEX.get(name)!]!.slot;
}

function checkOptions(spec: DistributionSpec, opts: GenerateOptions): { from: number; to: number; start: number } {
  if (!Number.isSafeInteger(opts.count) || opts.count < 0) throw new UsageError(`count must be a whole number ≥ 0 (got ${opts.count})`);
  const start = opts.startIndex ?? 0;
  if (!Number.isSafeInteger(start) || start < 0) throw new UsageError(`startIndex must be a whole number ≥ 0 (got ${start})`);
  const fromText = opts.from ?? spec.period.from;
  const toText = opts.to ?? spec.period.to;
  const from = parseIsoDay(fromText);
  const to = parseIsoDay(toText);
  if (Number.isNaN(from)) throw new UsageError(`--from is not a date YYYY-MM-DD: ${fromText}`);
  if (Number.isNaN(to)) throw new UsageError(`--to is not a date YYYY-MM-DD: ${toText}`);
  if (from > to) throw new UsageError(`--from ${fromText} is after --to ${toText}`);
  return { from, to, start };
}

/** Generate `count` applicants (indices startIndex … startIndex + count − 1) as a columnar pool. */
export function generatePool(spec: DistributionSpec, opts: GenerateOptions): ApplicantPool {
  const { from, to, start } = checkOptions(spec, opts);
  const n = opts.count;
  const C: CompiledSpec = compileSpec(spec);
  const col = allocateColumns(n);
  const cats = C.categories;

  // profession "none" is the empty profession, code 0 of the pool dictionary
  const professionDict = [""];
  const professionCode = new Uint16Array(cats.profession!.length);
  cats.profession!.forEach((p, i) => {
    if (p === "none") professionCode[i] = 0;
    else {
      professionCode[i] = professionDict.length;
      professionDict.push(p);
    }
  });
  const startAge = DEGREE_LEVELS.map((d) => spec.experience.start_age[d]);
  const extraYears = spec.experience.extra_degree_years;
  // experience has one decimal, so income growth is a table lookup instead of a power per applicant
  const growthSteps = Math.round(spec.income.growth_years_cap * 10);
  const growthFactor = Float64Array.from({ length: growthSteps + 1 }, (_, t) => (1 + spec.income.growth_per_year) ** Math.min(t / 10, spec.income.growth_years_cap));
  const roundTo = spec.income.round_to;
  const days = to - from + 1;
  const profile = spec.applied_on ? dayProfile(from, to, spec.applied_on.monthly) : undefined;

  const codes = new Int32Array(VARIABLES.length);
  const u = new Float64Array(SLOTS_PER_APPLICANT);
  // resolve every sampler and slot once: the loop below runs millions of times
  const resolve = <T>(table: Record<string, Conditioned<T>>, name: string): Resolved<T> => ({
    c: table[name]!,
    slot: slotOf(name),
    index: VAR_INDEX.get(name)!,
  });
  const cat = (r: Resolved<Float64Array>): number => {
    const t = r.c.table;
    const code = pickIndex(r.c.parent < 0 ? t[0]! : t[codes[r.c.parent]!]!, u[r.slot]!);
    codes[r.index] = code;
    return code;
  };
  const num = (r: Resolved<NumericSampler>): number => {
    const t = r.c.table;
    return (r.c.parent < 0 ? t[0]! : t[codes[r.c.parent]!]!)(u[r.slot]!);
  };
  const prob = (r: Resolved<ProbabilitySampler>, age: number, exp: number): boolean => {
    const code = r.c.parent < 0 ? 0 : codes[r.c.parent]!;
    const p = r.c.constant![code]!;
    return u[r.slot]! < (Number.isNaN(p) ? r.c.table[code]!(age, exp) : p);
  };
  const K = C.categorical;
  const N = C.numeric;
  const P = C.probability;
  const sexV = resolve(K, "sex");
  const regionV = resolve(K, "region");
  const sectorV = resolve(K, "sector");
  const degreeV = resolve(K, "highest_degree");
  const professionV = resolve(K, "profession");
  const achievementV = resolve(K, "achievement");
  const ageV = resolve(N, "age");
  const noiseV = resolve(N, "experience_noise");
  const onsetV = resolve(N, "senior_onset");
  const seniorShareV = resolve(N, "senior_share");
  const intlShareV = resolve(N, "international_share");
  const mncShareV = resolve(N, "multinational_share");
  const specShareV = resolve(N, "specified_industry_share");
  const otherLangV = resolve(N, "other_languages");
  const incomeV = resolve(N, "income_base");
  const profitV = resolve(N, "business_profit");
  const stakeV = resolve(N, "listed_stake_share");
  const bachelorFirstV = resolve(P, "bachelor_before_postgrad");
  const masterFirstV = resolve(P, "master_before_doctorate");
  const extraBachelorV = resolve(P, "extra_bachelor");
  const extraMasterV = resolve(P, "extra_master");
  const extraDoctorateV = resolve(P, "extra_doctorate");
  const pqV = resolve(P, "professional_qualification");
  const renownedV = resolve(P, "renowned_institution");
  const eligibleV = resolve(P, "eligible_university_postgrad");
  const stemV = resolve(P, "stem_postgrad");
  const intlV = resolve(P, "has_international");
  const mncV = resolve(P, "has_multinational");
  const specV = resolve(P, "has_specified_industry");
  const chineseV = resolve(P, "chinese");
  const englishV = resolve(P, "english");
  const businessV = resolve(P, "has_business");
  const stakeHolderV = resolve(P, "has_listed_stake");
  const familyV = resolve(P, "hk_permanent_family");
  const spouseV = resolve(P, "spouse_accompanying");
  const spouseDegreeV = resolve(P, "spouse_degree");
  const meansV = resolve(P, "financial_means");
  const characterV = resolve(P, "good_character");
  const childrenV = resolve(C.count, "children");
  const DOCTORATE = DEGREE_LEVELS.indexOf("doctorate");
  const MASTER = DEGREE_LEVELS.indexOf("master");
  const BACHELOR = DEGREE_LEVELS.indexOf("bachelor");

  // local references: the columns object has too many properties to stay a fast object in V8
  const c_applied_on = col.applied_on;
  const c_age = col.age;
  const c_sex = col.sex;
  const c_region = col.region;
  const c_sector = col.sector;
  const c_profession = col.profession;
  const c_bachelor_degrees = col.bachelor_degrees;
  const c_master_degrees = col.master_degrees;
  const c_doctoral_degrees = col.doctoral_degrees;
  const c_professional_qualification = col.professional_qualification;
  const c_renowned_institution = col.renowned_institution;
  const c_eligible_university_postgrad = col.eligible_university_postgrad;
  const c_stem_postgrad = col.stem_postgrad;
  const c_years_experience = col.years_experience;
  const c_years_senior = col.years_senior;
  const c_years_international = col.years_international;
  const c_years_multinational = col.years_multinational;
  const c_years_specified_industry = col.years_specified_industry;
  const c_chinese = col.chinese;
  const c_english = col.english;
  const c_other_languages = col.other_languages;
  const c_annual_income_hkd = col.annual_income_hkd;
  const c_business_profit_hkd = col.business_profit_hkd;
  const c_listed_company_stake = col.listed_company_stake;
  const c_hk_permanent_family = col.hk_permanent_family;
  const c_spouse_accompanying = col.spouse_accompanying;
  const c_spouse_degree = col.spouse_degree;
  const c_children_under_18 = col.children_under_18;
  const c_achievement = col.achievement;
  const c_financial_means = col.financial_means;
  const c_good_character = col.good_character;
  // extra degrees of the current applicant (a closure made once, not per applicant)
  let extras = 0;
  let room = 0;
  let currentAge = 0;
  const extra = (r: Resolved<ProbabilitySampler>): number => {
    if (!prob(r, currentAge, 0) || (extras + 1) * extraYears > room) return 0;
    extras++;
    return 1;
  };

  let rng: Rng | undefined;
  for (let k = 0; k < n; k++) {
    const g = start + k;
    const offset = g % BLOCK_SIZE;
    if (rng === undefined || offset === 0) {
      rng = createRng(deriveSeed(opts.seed, GENERATOR_STREAM, Math.floor(g / BLOCK_SIZE)));
      for (let s = offset * SLOTS_PER_APPLICANT; s > 0; s--) rng.next();
      if (k > 0) opts.onProgress?.(k);
    }
    for (let s = 0; s < SLOTS_PER_APPLICANT; s++) u[s] = rng.next();

    c_sex[k] = cat(sexV);
    c_region[k] = cat(regionV);
    const age = num(ageV);
    c_age[k] = age;
    c_sector[k] = cat(sectorV);
    let level = cat(degreeV);
    // nobody holds a degree years before its usual age: lower the level until it fits (the
    // conditionals drawn later, e.g. renowned_institution given highest_degree, see the lowered level)
    while (level > 0 && age < startAge[level]! - 1) level--;
    codes[degreeV.index] = level;
    c_profession[k] = professionCode[cat(professionV)]!;

    // degree counts nest: a doctorate usually follows a master's, a postgraduate degree a bachelor's;
    // each extra degree needs extra_degree_years more of age
    extras = 0;
    room = age - startAge[level]! + 1;
    currentAge = age;
    let b = 0;
    let m = 0;
    let d = 0;
    if (level === DOCTORATE) {
      d = 1 + extra(extraDoctorateV);
      if (prob(masterFirstV, age, 0)) m = 1 + extra(extraMasterV);
      if (prob(bachelorFirstV, age, 0)) b = 1 + extra(extraBachelorV);
    } else if (level === MASTER) {
      m = 1 + extra(extraMasterV);
      if (prob(bachelorFirstV, age, 0)) b = 1 + extra(extraBachelorV);
    } else if (level === BACHELOR) {
      b = 1 + extra(extraBachelorV);
    }
    c_bachelor_degrees[k] = b;
    c_master_degrees[k] = m;
    c_doctoral_degrees[k] = d;
    c_professional_qualification[k] = prob(pqV, age, 0) ? 1 : 0;
    const hasDegree = b + m + d > 0;
    c_renowned_institution[k] = hasDegree && prob(renownedV, age, 0) ? 1 : 0;
    const eligible = m + d > 0 && prob(eligibleV, age, 0);
    c_eligible_university_postgrad[k] = eligible ? 1 : 0;
    c_stem_postgrad[k] = eligible && prob(stemV, age, 0) ? 1 : 0;

    // experience: from the usual start age of the highest degree (later for extra degrees), with noise,
    // never more than age − 14; its parts are shares of it
    const rawExp = age - startAge[level]! - extras * extraYears + num(noiseV);
    const exp = round1(Math.min(age - 14, Math.max(0, rawExp)));
    c_years_experience[k] = exp;
    const senior = num(seniorShareV) * Math.max(0, exp - num(onsetV));
    c_years_senior[k] = Math.min(exp, round1(senior));
    c_years_international[k] = prob(intlV, age, exp) ? Math.min(exp, round1(num(intlShareV) * exp)) : 0;
    c_years_multinational[k] = prob(mncV, age, exp) ? Math.min(exp, round1(num(mncShareV) * exp)) : 0;
    c_years_specified_industry[k] = prob(specV, age, exp) ? Math.min(exp, round1(num(specShareV) * exp)) : 0;

    c_chinese[k] = prob(chineseV, age, exp) ? 1 : 0;
    c_english[k] = prob(englishV, age, exp) ? 1 : 0;
    c_other_languages[k] = num(otherLangV);

    const income = num(incomeV) * growthFactor[Math.min(Math.round(exp * 10), growthSteps)]!;
    c_annual_income_hkd[k] = Math.round(income / roundTo) * roundTo;
    c_business_profit_hkd[k] = prob(businessV, age, exp) ? Math.round(num(profitV) / roundTo) * roundTo : 0;
    c_listed_company_stake[k] = prob(stakeHolderV, age, exp) ? Math.round(num(stakeV) * 1e4) / 1e4 : 0;

    c_hk_permanent_family[k] = prob(familyV, age, exp) ? 1 : 0;
    const spouse = prob(spouseV, age, exp);
    c_spouse_accompanying[k] = spouse ? 1 : 0;
    c_spouse_degree[k] = spouse && prob(spouseDegreeV, age, exp) ? 1 : 0;
    const children = childrenV.c.parent < 0 ? childrenV.c.table[0]! : childrenV.c.table[codes[childrenV.c.parent]!]!;
    const mean = children.mean(age, exp) * (spouse ? 1 : children.withoutSpouseFactor);
    c_children_under_18[k] = poissonFromUniform(u[childrenV.slot]!, mean, children.max);

    c_achievement[k] = cat(achievementV);
    c_financial_means[k] = prob(meansV, age, exp) ? 1 : 0;
    c_good_character[k] = prob(characterV, age, exp) ? 1 : 0;

    const du = u[APPLIED_ON_SLOT]!;
    c_applied_on[k] = from + (profile ? pickIndex(profile, du) : Math.min(days - 1, Math.floor(du * days)));
  }
  if (n > 0) opts.onProgress?.(n);

  const ids: IdSource =
    start === 0
      ? { kind: "generated", prefix: spec.ids.prefix, width: spec.ids.width }
      : { kind: "list", ids: Array.from({ length: n }, (_, k) => spec.ids.prefix + String(start + k + 1).padStart(spec.ids.width, "0")) };
  return {
    size: n,
    ids,
    columns: col,
    dictionaries: { region: [...cats.region!], sector: [...cats.sector!], profession: professionDict },
  };
}

/** The period a spec generates by default, as ISO dates. */
export function specPeriod(spec: DistributionSpec): { from: string; to: string } {
  return { from: formatIsoDay(parseIsoDay(spec.period.from)), to: formatIsoDay(parseIsoDay(spec.period.to)) };
}
