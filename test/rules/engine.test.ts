import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ApplicantPool, idOf, poolFromApplicants } from "../../src/applicants/pool.js";
import { type Applicant, defaultApplicant } from "../../src/applicants/record.js";
import { scorePool } from "../../src/rules/batch.js";
import { explainApplicant } from "../../src/rules/explain.js";
import { formatCondition } from "../../src/rules/format.js";
import { impliedByEarlier, neverHolds } from "../../src/rules/implication.js";
import { loadRuleBook } from "../../src/rules/load.js";
import { rankOrder } from "../../src/rules/rank.js";
import { scoreApplicant } from "../../src/rules/score.js";
import type { Condition, PoolScores } from "../../src/rules/types.js";
import { applicantArb } from "./arbitraries.js";

const book = loadRuleBook("data");

const G: Applicant = {
  ...defaultApplicant("G", "2019-06-01", 41),
  bachelor_degrees: 2,
  years_experience: 4.9,
  years_international: 2,
  profession: "fintech_professional",
  chinese: true,
  other_languages: 1,
  spouse_accompanying: true,
  children_under_18: 2,
};

describe("scoreApplicant", () => {
  it("scores worked example G in 2018 as docs/rules.md does, naming what matched", () => {
    const r = scoreApplicant(G, book.get("qmas-gpt-2018"), book);
    expect(r.route).toBe("gpt");
    expect(r.total).toBe(115);
    expect(r.passed).toBe(true);
    expect(r.factors.map((f) => [f.id, f.points, f.max])).toEqual([
      ["age", 20, 30],
      ["education", 20, 70],
      ["work", 20, 55],
      ["talent_list", 30, 30],
      ["language", 15, 20],
      ["family", 10, 20],
    ]);
    expect(r.factors[0]!.matched).toEqual(["40–44"]);
    expect(r.factors[5]!.matched).toHaveLength(1);
  });

  it("uses the Talent List in force on applied_on, or on the forced rule set's first day before its period", () => {
    const talent = (appliedOn: string, profession: string) =>
      scoreApplicant(
        { ...G, applied_on: appliedOn, profession },
        book.get("qmas-gpt-2018"),
        book,
      ).factors.find((f) => f.id === "talent_list")!.points;
    // esg_finance_professional joined the list on 2021-10-06, inside qmas-gpt-2018's period
    expect(talent("2021-10-05", "esg_finance_professional")).toBe(0);
    expect(talent("2021-10-06", "esg_finance_professional")).toBe(30);
    // the day before the 2018 table: forced under it, the 2018 list of its first day applies
    expect(talent("2018-08-27", G.profession)).toBe(30);
    expect(talent("2018-08-27", "esg_finance_professional")).toBe(0);
  });

  it("names every failed prerequisite, and an APT applicant failing one scores 0", () => {
    const a = {
      ...defaultApplicant("x", "2010-01-01", 17),
      financial_means: false,
      achievement: "award" as const,
    };
    const r = scoreApplicant(a, book.inForce(a.applied_on), book);
    expect(r.route).toBe("apt");
    expect(r.failedPrerequisites.map((p) => p.id)).toEqual(["age", "financial_means", "language"]);
    expect([r.eligible, r.total, r.passed]).toEqual([false, 0, false]);
  });

  it("passes the criteria kind at 6 criteria and not at 5", () => {
    const rs = book.get("qmas-criteria-2024");
    const five = {
      ...defaultApplicant("c", "2025-01-01", 30),
      english: true,
      chinese: true,
      years_experience: 5,
      annual_income_hkd: 1_000_000,
      bachelor_degrees: 1,
    };
    const r5 = scoreApplicant(five, rs, book);
    expect([r5.route, r5.total, r5.passed]).toEqual(["criteria", 5, false]);
    const r6 = scoreApplicant({ ...five, years_international: 2 }, rs, book);
    expect([r6.total, r6.passed]).toEqual([6, true]);
  });
});

describe("rankOrder", () => {
  function reference(pool: ApplicantPool, s: PoolScores): number[] {
    return Array.from({ length: s.size }, (_, i) => i).sort(
      (a, b) =>
        s.passed[b]! - s.passed[a]! ||
        s.total[b]! - s.total[a]! ||
        pool.columns.applied_on[a]! - pool.columns.applied_on[b]! ||
        (idOf(pool, a) < idOf(pool, b) ? -1 : idOf(pool, a) > idOf(pool, b) ? 1 : 0),
    );
  }

  it("orders passed first, total descending, applied_on, then id (listed ids)", () => {
    fc.assert(
      fc.property(
        fc.array(applicantArb, { minLength: 0, maxLength: 120 }),
        fc.array(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 120, maxLength: 120 }),
        (list, names) => {
          // few distinct dates and ids in random order make ties likely
          const applicants = list.map((a, k) => ({
            ...a,
            id: `${names[k]}#${k}`,
            applied_on: k % 3 === 0 ? "2019-03-01" : a.applied_on,
          }));
          const pool = poolFromApplicants(applicants);
          const scores = scorePool(pool, book);
          expect(Array.from(rankOrder(pool, scores))).toEqual(reference(pool, scores));
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it("uses index order for generated ids", () => {
    const applicants = fc
      .sample(applicantArb, { numRuns: 300, seed: 5 })
      .map((a) => ({ ...a, applied_on: "2019-03-01" }));
    const pool: ApplicantPool = {
      ...poolFromApplicants(applicants),
      ids: { kind: "generated", prefix: "G", width: 4 },
    };
    const scores = scorePool(pool, book);
    expect(Array.from(rankOrder(pool, scores))).toEqual(reference(pool, scores));
  });
});

describe("explainApplicant", () => {
  it("explains worked example G in 2008 (90, passes) and suggests real gains", () => {
    const e = explainApplicant({ ...G, applied_on: "2010-01-01" }, book.get("qmas-gpt-2008"), book);
    expect(e.result.total).toBe(90);
    expect(e.lines).toContain("Total: 90 / 165; pass mark 80 → PASSED");
    expect(e.lines).toContain("  - 0.1 more years of experience: +20");
    expect(e.lines).toContain("  - English as well as Chinese: +5");
    expect(e.passWith).toEqual([]);
  });

  it("gives 'would pass' hints when one change is enough", () => {
    const a = {
      ...defaultApplicant("p", "2019-03-01", 30),
      bachelor_degrees: 1,
      years_experience: 5,
      english: true,
      chinese: true,
    };
    // 30 + 10 + 15 + 0 + 20 + 0 = 75: a master's degree (+10) would pass
    const e = explainApplicant(a, book.get("qmas-gpt-2018"), book);
    expect(e.result.total).toBe(75);
    const master = e.hints.find((h) => h.change === "a master's degree")!;
    expect(master).toMatchObject({ gain: 10, total: 85, passed: true });
    expect(e.lines).toContain("  - a master's degree: +10; would pass with 85 ≥ 80");
  });

  it("explains unmet criteria and the changes that would meet them", () => {
    const a = {
      ...defaultApplicant("c", "2025-01-01", 30),
      english: true,
      bachelor_degrees: 1,
      years_experience: 4,
    };
    const e = explainApplicant(a, book.get("qmas-criteria-2024"), book);
    expect(e.lines.some((l) => l.startsWith("  ✗ ") && l.includes("[c10]"))).toBe(true);
    expect(e.lines).toContain("  - 1 more year of experience: +1 criterion");
    expect(e.lines).toContain("  - an income of HK$1,000,000 a year: +1 criterion");
  });

  it("tells an APT applicant which prerequisite to fix", () => {
    const a = {
      ...defaultApplicant("f", "2019-06-01", 33),
      english: true,
      achievement: "award" as const,
      good_character: false,
    };
    const e = explainApplicant(a, book.get("qmas-gpt-2018"), book);
    expect(e.lines).toContain(
      "  - a clean criminal and immigration record; meets the prerequisites; would pass with 225 ≥ 80",
    );
  });

  it("reports only gains the scorer confirms, and pairs that really pass", () => {
    fc.assert(
      fc.property(applicantArb, (a) => {
        const rs = book.inForce(a.applied_on);
        const e = explainApplicant(a, rs, book);
        for (const h of [...e.hints, ...e.passWith]) {
          const r = scoreApplicant({ ...a, ...h.set }, rs, book);
          expect(r.total, h.change).toBe(h.total);
          expect(r.passed, h.change).toBe(h.passed);
          if (e.result.route !== "apt" || r.route !== "apt") expect(r.total - e.result.total).toBe(h.gain);
        }
        for (const h of e.passWith) expect(h.passed).toBe(true);
      }),
      { numRuns: 60, seed: 99 },
    );
  });
});

describe("condition implication (load-time checks)", () => {
  const c = (x: Condition) => x;
  it("finds contradictions, including integer gaps and at_least", () => {
    expect(
      neverHolds(
        c({
          all: [
            { field: "age", gt: 17 },
            { field: "age", lt: 18 },
          ],
        }),
      ),
    ).toBe(true);
    expect(
      neverHolds(
        c({
          all: [
            { field: "years_experience", gt: 1.5 },
            { field: "years_experience", lt: 1.6 },
          ],
        }),
      ),
    ).toBe(false);
    expect(neverHolds(c({ field: "listed_company_stake", gt: 1 }))).toBe(true);
    expect(
      neverHolds(
        c({ at_least: 2, of: [{ field: "chinese", is: true }, { not: { field: "chinese", is: true } }] }),
      ),
    ).toBe(true);
    expect(neverHolds(c({ field: "achievement", not_in: ["none", "award", "recognition"] }))).toBe(true);
    expect(neverHolds(c({ field: "profession", not_in: ["actuary"] }))).toBe(false);
  });

  it("proves a rung implied by earlier ones, and never claims what it cannot prove", () => {
    expect(
      impliedByEarlier(c({ field: "doctoral_degrees", gte: 2 }), [
        c({
          any: [
            { field: "doctoral_degrees", gte: 1 },
            { field: "master_degrees", gte: 2 },
          ],
        }),
      ]),
    ).toBe(0);
    expect(
      impliedByEarlier(c({ field: "doctoral_degrees", gte: 1 }), [c({ field: "doctoral_degrees", gte: 2 })]),
    ).toBeNull();
    expect(
      impliedByEarlier(c({ field: "chinese", is: true }), [
        c({
          all: [
            { field: "chinese", is: true },
            { field: "english", is: true },
          ],
        }),
        c({ all: [{ field: "chinese", is: true }, { not: { field: "english", is: true } }] }),
      ]),
    ).toBe(-1);
    expect(
      impliedByEarlier(c({ field: "profession", in: ["actuary"] }), [
        c({ field: "profession", not_in: ["chef"] }),
      ]),
    ).toBe(0);
  });

  it("formats conditions readably", () => {
    expect(
      formatCondition({
        all: [
          {
            any: [
              { field: "chinese", is: true },
              { field: "english", is: true },
            ],
          },
          { field: "other_languages", gte: 1 },
        ],
      }),
    ).toBe("(chinese or english) and other_languages ≥ 1");
    expect(
      formatCondition({
        at_least: 2,
        of: [{ field: "chinese", is: true }, { not: { field: "english", is: true } }],
      }),
    ).toBe("at least 2 of {chinese; not english}");
  });
});
