import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { poolFromApplicants } from "../../src/applicants/pool.js";
import type { Applicant } from "../../src/applicants/record.js";
import { ErrorList } from "../../src/errors.js";
import { scorePool } from "../../src/rules/batch.js";
import { loadRuleBook, ruleBookFrom } from "../../src/rules/load.js";
import { scoreApplicant } from "../../src/rules/score.js";
import { type Condition, type PointsRuleSet, ROUTES } from "../../src/rules/types.js";
import { applicantArb } from "./arbitraries.js";

/**
 * The batch path tabulates a prerequisite set or a factor's ladders and bonuses over their leaves only
 * up to 12 leaves, and packs leaves 32 to a word; wider rule sets take the mask path and several words.
 * The shipped rule sets never get there, so this rule set does: a prerequisite and a bonus of 14
 * distinct leaves each, and a ladder over 13 more.
 */
const shipped = loadRuleBook("data");
const base = structuredClone(shipped.get("qmas-gpt-2018")) as PointsRuleSet;
const thresholds = [0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const wideAny: Condition = { any: thresholds.map((t) => ({ field: "years_international", gte: t })) };
const wideAtLeast: Condition = {
  at_least: 3,
  of: [
    ...thresholds.map((t) => ({ field: "years_multinational", gte: t }) as Condition),
    { not: { field: "sex", in: ["F"] } },
  ],
};
const wide: PointsRuleSet = {
  ...base,
  id: "wide-test",
  max_total: base.max_total + 27,
  effective_from: "2006-06-28",
  effective_to: null,
  prerequisites: [
    ...base.prerequisites,
    { id: "wide", label: "wide", when: { any: [wideAny, { field: "annual_income_hkd", lte: 999_999 }] } },
  ],
  factors: [
    ...base.factors,
    {
      id: "wide_factor",
      label: "wide",
      max: 27,
      components: [
        { bonus: { when: wideAtLeast, points: 7, label: "wide bonus" } },
        {
          // thresholds at the generator's favourite values, so that every rung is reached
          ladder: [12, 10, 9.9, 9, 5, 4.9, 3, 2.9, 2, 1.9, 1.5, 1, 0.5].map((t, k) => ({
            when: {
              all: [
                { field: "years_specified_industry", gte: t },
                { field: "age", lt: 60 - k },
              ],
            },
            points: 20 - k,
            label: `rung ${k}`,
          })),
        },
      ],
    },
  ],
};
function bookOf(): ReturnType<typeof ruleBookFrom> {
  try {
    return ruleBookFrom([wide], shipped.talentLists);
  } catch (e) {
    throw new Error(e instanceof ErrorList ? e.errors.map((x) => x.format()).join("\n") : String(e));
  }
}
const book = bookOf();

describe("scorePool on a rule set too wide for lookup tables", () => {
  it("agrees with scoreApplicant field by field", () => {
    fc.assert(
      fc.property(fc.array(applicantArb, { minLength: 1, maxLength: 60 }), (list) => {
        const applicants: Applicant[] = list.map((a, k) => ({ ...a, id: `w${k}` }));
        const scores = scorePool(poolFromApplicants(applicants), book, { rules: "wide-test" });
        applicants.forEach((a, k) => {
          const one = scoreApplicant(a, wide, book);
          expect(ROUTES[scores.route[k]!]).toBe(one.route);
          expect(scores.total[k]).toBe(one.total);
          expect(scores.passed[k] === 1).toBe(one.passed);
          const failed = wide.prerequisites
            .filter((_, b) => (scores.failedPrerequisites[k]! >>> b) & 1)
            .map((p) => p.id);
          expect(failed).toEqual(one.failedPrerequisites.map((p) => p.id));
          scores.factorIds.forEach((id, f) => {
            const mine = one.factors.find((x) => x.id === id);
            expect(scores.factorPoints[f]![k], id).toBe(mine ? mine.points : -1);
          });
        });
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});
