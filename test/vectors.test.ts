import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { poolFromApplicants } from "../src/applicants/pool.js";
import { APPLICANT_COLUMNS, type Applicant, defaultApplicant } from "../src/applicants/record.js";
import { scorePool } from "../src/rules/batch.js";
import { loadRuleBook } from "../src/rules/load.js";
import { scoreApplicant } from "../src/rules/score.js";
import { ROUTES } from "../src/rules/types.js";

/**
 * Runs every hand-worked case of test/vectors/<rule-set>.yaml through both scoring paths (one
 * applicant at a time and the batch path) and checks them against the arithmetic written by hand.
 */

interface VectorCase {
  name: string;
  applicant: Record<string, unknown>;
  expect: {
    route?: string;
    eligible?: boolean;
    total?: number;
    passed?: boolean;
    factors?: Record<string, number>;
    failed_prerequisites?: string[];
  };
}

interface VectorFile {
  rule_set: string;
  cases: VectorCase[];
}

const MIN_CASES = 12;
const VECTOR_DIR = "test/vectors";
const book = loadRuleBook("data");
const files = readdirSync(VECTOR_DIR).filter((f) => f.endsWith(".yaml"));
const vectors = new Map<string, VectorFile>(
  files.map((f) => {
    const v = parse(readFileSync(join(VECTOR_DIR, f), "utf8")) as VectorFile;
    return [v.rule_set, v];
  }),
);

const COLUMN_NAMES = new Set<string>(APPLICANT_COLUMNS.map((c) => c.name));

function applicantOf(fields: Record<string, unknown>, k: number): Applicant {
  for (const key of Object.keys(fields)) {
    if (!COLUMN_NAMES.has(key)) throw new Error(`case ${k + 1}: unknown applicant column '${key}'`);
  }
  const base = defaultApplicant(`case-${k + 1}`, String(fields.applied_on), Number(fields.age));
  const a = { ...base, ...fields } as Applicant;
  a.id = String(a.id);
  a.applied_on = String(a.applied_on);
  return a;
}

describe("test vectors", () => {
  it("every vector file names a known rule set and is the only one for it", () => {
    for (const f of files) {
      const v = parse(readFileSync(join(VECTOR_DIR, f), "utf8")) as VectorFile;
      expect(book.ids, f).toContain(v.rule_set);
      expect(f, "file name matches rule_set").toBe(`${v.rule_set}.yaml`);
    }
  });

  for (const id of book.ids) {
    describe(id, () => {
      const v = vectors.get(id);
      it(`has at least ${MIN_CASES} hand-worked cases`, () => {
        expect(v?.cases.length ?? 0).toBeGreaterThanOrEqual(MIN_CASES);
      });
      if (!v) return;
      const ruleSet = book.get(id);
      const applicants = v.cases.map((c, k) => applicantOf(c.applicant, k));
      const batch = scorePool(poolFromApplicants(applicants), book, { rules: id });
      v.cases.forEach((c, k) => {
        it(c.name, () => {
          const a = applicants[k]!;
          const one = scoreApplicant(a, ruleSet, book);
          const e = c.expect;
          const failedIds = one.failedPrerequisites.map((p) => p.id);
          const batchFailed = ruleSet.prerequisites
            .filter((_, b) => (batch.failedPrerequisites[k]! >>> b) & 1)
            .map((p) => p.id);
          if (e.route !== undefined) {
            expect(one.route, "route").toBe(e.route);
            expect(ROUTES[batch.route[k]!], "batch route").toBe(e.route);
          }
          if (e.eligible !== undefined) {
            expect(one.eligible, "eligible").toBe(e.eligible);
            expect(batch.eligible[k] === 1, "batch eligible").toBe(e.eligible);
          }
          if (e.total !== undefined) {
            expect(one.total, "total").toBe(e.total);
            expect(batch.total[k], "batch total").toBe(e.total);
          }
          if (e.passed !== undefined) {
            expect(one.passed, "passed").toBe(e.passed);
            expect(batch.passed[k] === 1, "batch passed").toBe(e.passed);
          }
          for (const [factor, points] of Object.entries(e.factors ?? {})) {
            expect(one.factors.find((f) => f.id === factor)?.points, `factor ${factor}`).toBe(points);
            const col = batch.factorPoints[batch.factorIds.indexOf(factor)];
            expect(col?.[k], `batch factor ${factor}`).toBe(points);
          }
          if (e.failed_prerequisites !== undefined) {
            expect(failedIds, "failed prerequisites").toEqual(e.failed_prerequisites);
            expect(batchFailed, "batch failed prerequisites").toEqual(e.failed_prerequisites);
          }
        });
      });
    });
  }
});
