import { describe, expect, test } from "vitest";
import { generatePool, loadDistributionSpec } from "../../src/applicants/generate/index.js";
import { formatIsoDay, quarterStartDay } from "../../src/dates.js";
import { scorePool } from "../../src/rules/batch.js";
import { loadRuleBook } from "../../src/rules/load.js";
import { arrivalBatch, columnsRead } from "../../src/simulation/arrivals.js";
import { prepareBatch } from "../../src/simulation/store.js";

const book = loadRuleBook("data");
const spec = loadDistributionSpec("qmas-2021");

/** The batch made the plain way: a full pool, scored with the breakdown, reduced. */
function plainBatch(quarter: number, count: number, startIndex: number, rules: string) {
  // another seed first, so this pool is drawn from fresh block streams, not resumed from the state
  // arrivalBatch left behind (a bug in resuming must not corrupt both sides alike)
  generatePool(spec, { count: 1, seed: "something else" });
  const pool = generatePool(spec, {
    count,
    seed: "arrivals",
    from: formatIsoDay(quarterStartDay(quarter)),
    to: formatIsoDay(quarterStartDay(quarter + 1) - 1),
    startIndex,
  });
  return prepareBatch(pool, scorePool(pool, book, { rules }), {
    prefix: spec.ids.prefix,
    width: spec.ids.width,
    startIndex,
  });
}

describe("arrivalBatch (columns read only, reused from quarter to quarter)", () => {
  test("equals the plain batch, quarter after quarter, growing and shrinking, and after a change of rules", () => {
    const q0 = 2019 * 4;
    let start = 0;
    const plan: [number, string][] = [
      [700, "qmas-gpt-2018"],
      [300, "qmas-gpt-2018"],
      [900, "qmas-gpt-2018"],
      [500, "auto"],
      [800, "qmas-gpt-2018"],
    ];
    plan.forEach(([count, rules], k) => {
      const mine = arrivalBatch(spec, book, { rules }, "arrivals", {
        quarter: q0 + k,
        count,
        startIndex: start,
      });
      expect(mine, `quarter ${k}`).toEqual(plainBatch(q0 + k, count, start, rules));
      start += count;
    });
  });

  test("reads the columns its rule sets name, and the store's", () => {
    const gpt2018 = columnsRead(book, "qmas-gpt-2018");
    expect(gpt2018.has("years_international")).toBe(true);
    expect(gpt2018.has("listed_company_stake")).toBe(false);
    expect(gpt2018.has("sector")).toBe(true);
    // income is the store's (rates after allotment may depend on it), whatever the rules read
    expect(gpt2018.has("annual_income_hkd")).toBe(true);
    // the 2024 criteria read the listed-company stake: "auto" covers every rule set in the book
    expect(columnsRead(book, "auto").has("listed_company_stake")).toBe(true);
  });
});
