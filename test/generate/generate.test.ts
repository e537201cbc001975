import { describe, expect, test } from "vitest";
import type { CategoricalDist, CountDist, NumericDist } from "../../src/applicants/generate/index.js";
import { BLOCK_SIZE, generatePool, loadDistributionSpec } from "../../src/applicants/generate/index.js";
import { type ApplicantPool, idOf, POOL_COLUMN_NAMES } from "../../src/applicants/pool.js";
import { parseIsoDay } from "../../src/dates.js";
import { InputError } from "../../src/errors.js";

const spec2021 = loadDistributionSpec("qmas-2021");
const N = 100_000;
const pool = generatePool(spec2021, { count: N, seed: "tests" });
const c = pool.columns;
const dict = pool.dictionaries;

function rows(p: ApplicantPool, from: number, to: number): unknown[][] {
  const out: unknown[][] = [];
  for (let i = from; i < to; i++) out.push([idOf(p, i), ...POOL_COLUMN_NAMES.map((n) => p.columns[n][i])]);
  return out;
}
/** Row content with categorical codes replaced by their text (dictionaries may differ in order). */
function decoded(p: ApplicantPool, from: number, to: number): unknown[][] {
  return rows(p, from, to).map((r, k) => {
    const i = from + k;
    return [
      ...r,
      p.dictionaries.region[p.columns.region[i]!],
      p.dictionaries.sector[p.columns.sector[i]!],
      p.dictionaries.profession[p.columns.profession[i]!],
    ];
  });
}
function share(pred: (i: number) => boolean, among: (i: number) => boolean = () => true): number {
  let hit = 0;
  let n = 0;
  for (let i = 0; i < N; i++) {
    if (!among(i)) continue;
    n++;
    if (pred(i)) hit++;
  }
  return hit / n;
}
function weightsShare(weights: Record<string, number>, key: string): number {
  return weights[key]! / Object.values(weights).reduce((a, b) => a + b, 0);
}

describe("determinism", () => {
  test("same spec, count and seed give identical pools; another seed does not", () => {
    const a = generatePool(spec2021, { count: 5000, seed: 7 });
    const b = generatePool(spec2021, { count: 5000, seed: 7 });
    const other = generatePool(spec2021, { count: 5000, seed: 8 });
    expect(rows(a, 0, 5000)).toEqual(rows(b, 0, 5000));
    expect(a.dictionaries).toEqual(b.dictionaries);
    expect(rows(other, 0, 50)).not.toEqual(rows(a, 0, 50));
    // numeric seed 7 and text seed "7" are the same seed
    expect(rows(generatePool(spec2021, { count: 100, seed: "7" }), 0, 100)).toEqual(rows(a, 0, 100));
  });

  test("pins the first applicant of seed 1 (a change of the stream must be deliberate)", () => {
    const first = generatePool(spec2021, { count: 1, seed: 1 });
    expect(decoded(first, 0, 1)[0]!.slice(0, 4)).toEqual(["G0000001", parseIsoDay("2021-06-15"), 40, 1]);
  });

  test("a bigger pool extends a smaller one (applicant i does not depend on the count)", () => {
    const small = generatePool(spec2021, { count: 500, seed: "grow" });
    const big = generatePool(spec2021, { count: BLOCK_SIZE + 700, seed: "grow" });
    expect(decoded(big, 0, 500)).toEqual(decoded(small, 0, 500));
  });

  test("startIndex continues a pool across a block boundary, with the same ids", () => {
    const whole = generatePool(spec2021, { count: BLOCK_SIZE + 300, seed: "tail" });
    const tail = generatePool(spec2021, { count: 400, seed: "tail", startIndex: BLOCK_SIZE - 100 });
    expect(decoded(tail, 0, 400)).toEqual(decoded(whole, BLOCK_SIZE - 100, BLOCK_SIZE + 300));
    expect(idOf(tail, 0)).toBe(`G${String(BLOCK_SIZE - 99).padStart(7, "0")}`);
  });

  test("ids are unique and follow prefix + zero-padded index", () => {
    expect(idOf(pool, 0)).toBe("G0000001");
    expect(idOf(pool, N - 1)).toBe("G0100000");
    expect(new Set(Array.from({ length: N }, (_, i) => idOf(pool, i))).size).toBe(N);
  });

  test("bad options are usage errors", () => {
    expect(() => generatePool(spec2021, { count: -1, seed: 1 })).toThrow(InputError);
    expect(() => generatePool(spec2021, { count: 10, seed: 1, from: "2021-13-01" })).toThrow(/not a date/);
    expect(() =>
      generatePool(spec2021, { count: 10, seed: 1, from: "2021-05-01", to: "2021-04-01" }),
    ).toThrow(/after/);
  });
});

describe("no impossible profile in 100,000 applicants", () => {
  test("experience and its parts", () => {
    for (let i = 0; i < N; i++) {
      const exp = c.years_experience[i]!;
      if (!(exp >= 0 && exp <= c.age[i]! - 14))
        throw new Error(`row ${i}: experience ${exp} at age ${c.age[i]}`);
      for (const part of [
        c.years_senior,
        c.years_international,
        c.years_multinational,
        c.years_specified_industry,
      ]) {
        if (!(part[i]! >= 0 && part[i]! <= exp))
          throw new Error(`row ${i}: part ${part[i]} > experience ${exp}`);
      }
      // written with at most one decimal
      if (Math.round(exp * 10) / 10 !== exp)
        throw new Error(`row ${i}: experience ${exp} has more than one decimal`);
    }
  });

  test("family, degrees and flags are coherent", () => {
    for (let i = 0; i < N; i++) {
      const degrees = c.bachelor_degrees[i]! + c.master_degrees[i]! + c.doctoral_degrees[i]!;
      const bad =
        (c.spouse_degree[i] === 1 && c.spouse_accompanying[i] === 0) ||
        (c.renowned_institution[i] === 1 && degrees === 0) ||
        (c.eligible_university_postgrad[i] === 1 && c.master_degrees[i]! + c.doctoral_degrees[i]! === 0) ||
        (c.stem_postgrad[i] === 1 && c.eligible_university_postgrad[i] === 0) ||
        c.children_under_18[i]! > 4 ||
        c.age[i]! < 18 ||
        c.age[i]! > 65 ||
        c.listed_company_stake[i]! > 1;
      if (bad) throw new Error(`row ${i} is incoherent`);
    }
  });

  test("applied_on stays within the period", () => {
    const from = parseIsoDay("2021-01-01");
    const to = parseIsoDay("2021-12-31");
    for (let i = 0; i < N; i++)
      if (c.applied_on[i]! < from || c.applied_on[i]! > to) throw new Error(`row ${i}`);
  });
});

describe("marginals match the spec within sampling tolerance (100,000 rows)", () => {
  test("age bands within ±1 pp", () => {
    const age = spec2021.marginals.age as Extract<NumericDist, { dist: "histogram" }>;
    const total = age.bins.reduce((a, b) => a + b.weight, 0);
    for (const bin of age.bins) {
      expect(
        Math.abs(share((i) => c.age[i]! >= bin.from && c.age[i]! <= bin.to) - bin.weight / total),
      ).toBeLessThan(0.01);
    }
  });

  test("sex and sector within ±1 pp", () => {
    const sex = (spec2021.marginals.sex as CategoricalDist).weights;
    expect(Math.abs(share((i) => c.sex[i] === 1) - weightsShare(sex, "M"))).toBeLessThan(0.01);
    const sector = (spec2021.marginals.sector as CategoricalDist).weights;
    for (const key of Object.keys(sector)) {
      const code = dict.sector.indexOf(key);
      expect(Math.abs(share((i) => c.sector[i] === code) - weightsShare(sector, key))).toBeLessThan(0.01);
    }
  });

  test("highest degree given sector (a conditional) within ±1.5 pp", () => {
    // from 27 (doctorate start age 28 − 1) every level is possible, so the spec's shares apply unchanged
    const academic = dict.sector.indexOf("academic_research_education");
    expect(
      Math.abs(
        share(
          (i) => c.doctoral_degrees[i]! > 0,
          (i) => c.sector[i] === academic && c.age[i]! >= 27,
        ) - 0.5,
      ),
    ).toBeLessThan(0.025);
    const it = dict.sector.indexOf("it_telecom");
    expect(
      Math.abs(
        share(
          (i) => c.doctoral_degrees[i]! > 0,
          (i) => c.sector[i] === it && c.age[i]! >= 27,
        ) - 0.12,
      ),
    ).toBeLessThan(0.015);
  });

  test("no degree before its usual age (start age − 1), no extra degree without the years for it", () => {
    for (let i = 0; i < N; i++) {
      const age = c.age[i]!;
      const level =
        c.doctoral_degrees[i]! > 0 ? 28 : c.master_degrees[i]! > 0 ? 24 : c.bachelor_degrees[i]! > 0 ? 22 : 0;
      const extras =
        Math.max(0, c.bachelor_degrees[i]! - 1) +
        Math.max(0, c.master_degrees[i]! - 1) +
        Math.max(0, c.doctoral_degrees[i]! - 1);
      if (age < level - 1 + extras)
        throw new Error(
          `row ${i}: age ${age} with degrees ${c.bachelor_degrees[i]}/${c.master_degrees[i]}/${c.doctoral_degrees[i]}`,
        );
    }
  });

  test("degree counts nest as the spec says", () => {
    const doctor = (i: number) => c.doctoral_degrees[i]! > 0;
    expect(Math.abs(share((i) => c.master_degrees[i]! > 0, doctor) - 0.8)).toBeLessThan(0.015);
    expect(
      Math.abs(
        share(
          (i) => c.bachelor_degrees[i]! > 0,
          (i) => c.master_degrees[i]! > 0,
        ) - 0.97,
      ),
    ).toBeLessThan(0.01);
  });

  test("language mix depends on region", () => {
    const mainland = dict.region.indexOf("mainland");
    const na = dict.region.indexOf("north_america");
    const europe = dict.region.indexOf("europe");
    expect(
      Math.abs(
        share(
          (i) => c.chinese[i] === 1,
          (i) => c.region[i] === mainland,
        ) - 0.995,
      ),
    ).toBeLessThan(0.005);
    expect(
      Math.abs(
        share(
          (i) => c.english[i] === 1,
          (i) => c.region[i] === mainland,
        ) - 0.62,
      ),
    ).toBeLessThan(0.01);
    // about 2,000 North Americans: ±3.5 pp is over three standard errors
    expect(
      Math.abs(
        share(
          (i) => c.chinese[i] === 1,
          (i) => c.region[i] === na,
        ) - 0.45,
      ),
    ).toBeLessThan(0.035);
    // Europe has no chinese case: the marginal (30 %) applies
    expect(
      Math.abs(
        share(
          (i) => c.chinese[i] === 1,
          (i) => c.region[i] === europe,
        ) - 0.3,
      ),
    ).toBeLessThan(0.06);
    // almost everyone has Chinese or English, a few have neither
    const neither = share((i) => c.chinese[i] === 0 && c.english[i] === 0);
    expect(neither).toBeGreaterThan(0);
    expect(neither).toBeLessThan(0.01);
  });

  test("Talent List professions only in their sectors, at the spec's shares", () => {
    const it = dict.sector.indexOf("it_telecom");
    const ds = dict.profession.indexOf("data_scientist");
    expect(
      Math.abs(
        share(
          (i) => c.profession[i] === ds,
          (i) => c.sector[i] === it,
        ) - 0.08,
      ),
    ).toBeLessThan(0.01);
    const commerce = dict.sector.indexOf("commerce_trade");
    expect(
      share(
        (i) => c.profession[i] !== 0,
        (i) => c.sector[i] === commerce,
      ),
    ).toBe(0);
  });

  test("experience follows age and degree: age − start age + noise", () => {
    const masters35 = (i: number) =>
      c.age[i] === 35 &&
      c.master_degrees[i] === 1 &&
      c.doctoral_degrees[i] === 0 &&
      c.bachelor_degrees[i] === 1;
    const values: number[] = [];
    for (let i = 0; i < N; i++) if (masters35(i)) values.push(c.years_experience[i]!);
    values.sort((a, b) => a - b);
    // 35 − 24 + noise(mean −0.5, sd 2): median ≈ 10.5
    expect(Math.abs(values[values.length >> 1]! - 10.5)).toBeLessThanOrEqual(0.3);
  });

  test("income grows with experience, spouses and children with age", () => {
    const median = (pred: (i: number) => boolean) => {
      const v: number[] = [];
      for (let i = 0; i < N; i++) if (pred(i)) v.push(c.annual_income_hkd[i]!);
      v.sort((a, b) => a - b);
      return v[v.length >> 1]!;
    };
    expect(median((i) => c.years_experience[i]! >= 12)).toBeGreaterThan(
      1.5 * median((i) => c.years_experience[i]! < 4),
    );
    const spouseAt = (lo: number, hi: number) =>
      share(
        (i) => c.spouse_accompanying[i] === 1,
        (i) => c.age[i]! >= lo && c.age[i]! <= hi,
      );
    expect(spouseAt(40, 44)).toBeGreaterThan(spouseAt(25, 29) + 0.3);
    const kids = spec2021.marginals.children as CountDist;
    expect(kids.max).toBe(4);
    expect(
      share(
        (i) => c.children_under_18[i]! > 0,
        (i) => c.age[i]! < 25,
      ),
    ).toBe(0);
  });

  test("applied_on follows the monthly profile (Oct–Dec weighted 1.2)", () => {
    const dec = share((i) => new Date(c.applied_on[i]! * 86_400_000).getUTCMonth() === 11);
    expect(Math.abs(dec - 1.2 / 12.6)).toBeLessThan(0.005);
  });

  test("without a profile, dates are uniform over the period", () => {
    const spec2006 = loadDistributionSpec("qmas-2006");
    const p = generatePool(spec2006, { count: 20_000, seed: 3, from: "2007-01-01", to: "2007-12-31" });
    let firstHalf = 0;
    const mid = parseIsoDay("2007-07-02");
    for (let i = 0; i < p.size; i++) if (p.columns.applied_on[i]! < mid) firstHalf++;
    expect(Math.abs(firstHalf / p.size - 0.5)).toBeLessThan(0.015);
  });
});
