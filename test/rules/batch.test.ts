import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applicantAt, poolFromApplicants } from "../../src/applicants/pool.js";
import { type Applicant, defaultApplicant } from "../../src/applicants/record.js";
import { InputError } from "../../src/errors.js";
import { scorePool } from "../../src/rules/batch.js";
import { compileCondition, evaluateCondition } from "../../src/rules/conditions.js";
import { loadRuleBook } from "../../src/rules/load.js";
import { scoreApplicant } from "../../src/rules/score.js";
import { type Condition, type PoolScores, ROUTES, type RuleSet } from "../../src/rules/types.js";
import { applicantArb } from "./arbitraries.js";

const book = loadRuleBook("data");

function withIds(list: Applicant[]): Applicant[] {
  return list.map((a, k) => ({ ...a, id: `a${k}` }));
}

/** Every field of the batch result for applicant k equals scoreApplicant's. */
function expectSame(scores: PoolScores, k: number, a: Applicant, rs: RuleSet, passMark?: number): void {
  const one = scoreApplicant(a, rs, book, { passMark });
  const where = `${a.id} under ${rs.id}`;
  expect(scores.ruleSetIds[scores.ruleSet[k]!], where).toBe(rs.id);
  expect(ROUTES[scores.route[k]!], where).toBe(one.route);
  expect(scores.eligible[k] === 1, where).toBe(one.eligible);
  expect(scores.total[k], where).toBe(one.total);
  expect(scores.passed[k] === 1, where).toBe(one.passed);
  const failed = rs.prerequisites
    .filter((_, b) => (scores.failedPrerequisites[k]! >>> b) & 1)
    .map((p) => p.id);
  expect(failed, where).toEqual(one.failedPrerequisites.map((p) => p.id));
  scores.factorIds.forEach((id, f) => {
    const mine = one.factors.find((x) => x.id === id);
    expect(scores.factorPoints[f]![k], `${where}: ${id}`).toBe(mine ? mine.points : -1);
  });
}

describe("scorePool agrees with scoreApplicant", () => {
  it("under --rules auto, on random applicants with band-edge values", () => {
    fc.assert(
      fc.property(fc.array(applicantArb, { minLength: 1, maxLength: 80 }), (list) => {
        const applicants = withIds(list);
        const scores = scorePool(poolFromApplicants(applicants), book);
        applicants.forEach((a, k) => {
          expectSame(scores, k, a, book.inForce(a.applied_on));
        });
      }),
      { numRuns: 80, seed: 20260101 },
    );
  });

  it("under each forced rule set and an overridden pass mark", () => {
    fc.assert(
      fc.property(
        fc.array(applicantArb, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(...book.ids),
        fc.option(fc.integer({ min: 0, max: 250 })),
        (list, id, mark) => {
          const applicants = withIds(list);
          const passMark = mark ?? undefined;
          const scores = scorePool(poolFromApplicants(applicants), book, { rules: id, passMark });
          applicants.forEach((a, k) => {
            expectSame(scores, k, a, book.get(id), passMark);
          });
        },
      ),
      { numRuns: 80, seed: 7 },
    );
  });

  it("across more applicants than one block (8192), in scrambled date order", () => {
    const applicants = withIds(fc.sample(applicantArb, { numRuns: 9000, seed: 42 }));
    const scores = scorePool(poolFromApplicants(applicants), book);
    for (let k = 0; k < applicants.length; k += 7)
      expectSame(scores, k, applicants[k]!, book.inForce(applicants[k]!.applied_on));
    expect(scores.ruleSetIds).toEqual(book.ids);
  });
});

describe("compiled conditions", () => {
  const conditions: Condition[] = book.ruleSets.flatMap((rs) => [
    rs.apt.when,
    ...rs.prerequisites.map((p) => p.when),
    ...(rs.kind === "criteria"
      ? rs.criteria.map((c) => c.when)
      : rs.factors.flatMap((f) =>
          f.components.flatMap((c) =>
            "ladder" in c ? c.ladder.map((r) => r.when) : "bonus" in c ? [c.bonus.when] : [],
          ),
        )),
  ]);
  conditions.push({
    at_least: 2,
    of: [{ field: "sex", in: ["F"] }, { not: { field: "age", lt: 30 } }, { field: "other_languages", eq: 1 }],
  });
  conditions.push({ field: "profession", not_in: ["actuary", ""] });

  it("agree with evaluateCondition on every condition of every rule set", () => {
    fc.assert(
      fc.property(fc.array(applicantArb, { minLength: 1, maxLength: 30 }), (list) => {
        const pool = poolFromApplicants(withIds(list));
        for (const c of conditions) {
          const p = compileCondition(c, pool);
          for (let i = 0; i < pool.size; i++)
            expect(p(i), JSON.stringify(c)).toBe(evaluateCondition(c, applicantAt(pool, i)));
        }
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});

describe("scorePool", () => {
  it("refuses an application dated before the scheme opened, naming the applicant and date", () => {
    const pool = poolFromApplicants([
      defaultApplicant("ok-1", "2010-01-01", 30),
      defaultApplicant("early-7", "2006-06-27", 30),
    ]);
    expect(() => scorePool(pool, book)).toThrow(InputError);
    expect(() => scorePool(pool, book)).toThrow(
      /applicant early-7: no rule set in force on 2006-06-27: the scheme opened on 2006-06-28/,
    );
  });

  it("scores an early application when a rule set is forced", () => {
    const pool = poolFromApplicants([defaultApplicant("early-7", "2006-06-27", 30)]);
    const scores = scorePool(pool, book, { rules: "qmas-gpt-2006" });
    expect(scores.ruleSetIds).toEqual(["qmas-gpt-2006"]);
  });

  it("keeps the segments of a day range apart for automatic and forced rule sets (they are cached per book)", () => {
    const pool = poolFromApplicants([
      defaultApplicant("a", "2019-02-01", 30),
      defaultApplicant("b", "2019-03-01", 30),
    ]);
    expect(scorePool(pool, book).ruleSetIds).toEqual(["qmas-gpt-2018"]);
    expect(scorePool(pool, book, { rules: "qmas-gpt-2006" }).ruleSetIds).toEqual(["qmas-gpt-2006"]);
    expect(scorePool(pool, book).ruleSetIds).toEqual(["qmas-gpt-2018"]);
    // a range that starts the same day but is longer reaches into the next rule set
    const longer = poolFromApplicants([
      defaultApplicant("a", "2019-02-01", 30),
      defaultApplicant("c", "2024-03-01", 30),
    ]);
    expect(scorePool(longer, book).ruleSetIds).toEqual(["qmas-gpt-2018", "qmas-gpt-2023"]);
  });

  it("rejects an unknown forced rule set id, listing the known ones", () => {
    const pool = poolFromApplicants([defaultApplicant("a", "2010-01-01", 30)]);
    expect(() => scorePool(pool, book, { rules: "qmas-gpt-1999" })).toThrow(
      /unknown rule set 'qmas-gpt-1999' \(known: qmas-gpt-2006, /,
    );
  });

  it("lists only the rule sets used, in date order, and leaves -1 where a factor does not apply", () => {
    const a = { ...defaultApplicant("late", "2025-01-01", 30), english: true };
    const b = { ...defaultApplicant("early", "2009-01-01", 30), english: true, bachelor_degrees: 1 };
    const c = { ...defaultApplicant("apt", "2009-01-01", 30), english: true, achievement: "award" as const };
    const scores = scorePool(poolFromApplicants([a, b, c]), book);
    expect(scores.ruleSetIds).toEqual(["qmas-gpt-2008", "qmas-criteria-2024"]);
    const age = scores.factorPoints[scores.factorIds.indexOf("age")]!;
    expect(Array.from(age)).toEqual([-1, 30, -1]);
    expect(Array.from(scores.total)).toEqual([
      scoreApplicant(a, book.get("qmas-criteria-2024"), book).total,
      30 + 30 + 0 + 10,
      165,
    ]);
  });

  it("without a breakdown gives the same totals, routes and prerequisites, and no factor columns", () => {
    const people = fc.sample(applicantArb, { numRuns: 400, seed: 7 }).map((a, k) => ({ ...a, id: `b${k}` }));
    const pool = poolFromApplicants(people);
    const full = scorePool(pool, book);
    const lean = scorePool(pool, book, { breakdown: false });
    expect(lean.factorIds).toEqual([]);
    expect(lean.factorPoints).toEqual([]);
    expect(full.factorIds.length).toBeGreaterThan(0);
    for (const key of ["ruleSet", "route", "eligible", "failedPrerequisites", "total", "passed"] as const) {
      expect(Array.from(lean[key]), key).toEqual(Array.from(full[key]));
    }
    expect(lean.ruleSetIds).toEqual(full.ruleSetIds);
  });

  it("handles an empty pool", () => {
    const scores = scorePool(poolFromApplicants([]), book);
    expect(scores.size).toBe(0);
    expect(scores.ruleSetIds).toEqual([]);
  });
});
