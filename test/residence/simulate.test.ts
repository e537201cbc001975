import { describe, expect, test } from "vitest";
import { formatIsoDay, parseIsoDay, quarterOfDay } from "../../src/dates.js";
import {
  readResidence,
  residenceCohorts,
  residenceQuarters,
  residenceTotals,
  simulateResidence,
  stateAt,
} from "../../src/residence/index.js";
import { addMonths, lagMonthsAt } from "../../src/residence/simulate.js";
import { dataWith, planOf, principals } from "./helpers.js";

const q = (iso: string) => quarterOfDay(parseIsoDay(iso));

describe("one principal's path", () => {
  test("everyone comes and renews: arrival after the lag, permanent resident 7 years (84 months) after arrival", () => {
    // lag table: all arrive within 12 months, linearly; the draw decides where
    const plan = planOf(dataWith({ lag: [{ within: 12, share: 1 }] }));
    const p = principals(["2019-03-31"]);
    const paths = simulateResidence(p, plan, 7);
    const arrival = paths.arrivalDay[0]!;
    expect(arrival).toBeGreaterThanOrEqual(parseIsoDay("2019-03-31"));
    expect(arrival).toBeLessThanOrEqual(parseIsoDay("2019-03-31") + 366);
    expect(paths.permanentDay[0]).toBe(addMonths(arrival, 84));
    expect(paths.exitDay[0]).toBe(-1);
    // 1+2+2+3: expiries at 12, 36, 60 months come before 84: three extensions, all granted
    expect(paths.applied[0]).toBe(3);
    expect(paths.granted[0]).toBe(3);
  });

  test("nobody applies: the principal leaves at the end of the initial stay", () => {
    const plan = planOf(dataWith({ apply: 0, stays: [2, 3, 3] }));
    const paths = simulateResidence(principals(["2019-06-30"]), plan, 1);
    expect(paths.exitDay[0]).toBe(addMonths(paths.arrivalDay[0]!, 24));
    expect(paths.applied[0]).toBe(0);
    expect(paths.permanentDay[0]).toBe(-1);
  });

  test("applications refused: applied once, granted none, left at the first expiry", () => {
    const plan = planOf(dataWith({ approve: 0, stays: [3, 3, 2] }));
    const paths = simulateResidence(principals(["2019-06-30"]), plan, 1);
    expect(paths.applied[0]).toBe(1);
    expect(paths.granted[0]).toBe(0);
    expect(paths.exitDay[0]).toBe(addMonths(paths.arrivalDay[0]!, 36));
  });

  test("take-up 0: never arrives, and counts as never arrived from give_up_months (24) after approval", () => {
    const plan = planOf(dataWith({ takeUp: 0 }));
    const paths = simulateResidence(principals(["2019-03-31"]), plan, 1);
    expect(paths.arrivalDay[0]).toBe(-1);
    expect(formatIsoDay(paths.giveUpDay[0]!)).toBe("2021-03-31");
    expect(stateAt(paths, 0, parseIsoDay("2021-03-30"))).toBe(0); // awaiting
    expect(stateAt(paths, 0, parseIsoDay("2021-03-31"))).toBe(1); // never arrived
    expect(paths.applied[0]).toBe(0);
  });

  test("not ordinarily resident at 7 years: leaves on the day permanent residence would have come", () => {
    const plan = planOf(dataWith({ permanent: 0 }));
    const paths = simulateResidence(principals(["2019-03-31"]), plan, 1);
    expect(paths.permanentDay[0]).toBe(-1);
    expect(paths.exitDay[0]).toBe(addMonths(paths.arrivalDay[0]!, 84));
  });

  test("lag table is read linearly between its points", () => {
    const plan = planOf(
      dataWith({
        lag: [
          { within: 3, share: 0.5 },
          { within: 12, share: 1 },
        ],
      }),
    );
    const era = plan.eras[0]!;
    expect(lagMonthsAt(era, 0)).toBe(0);
    expect(lagMonthsAt(era, 0.25)).toBe(1.5);
    expect(lagMonthsAt(era, 0.5)).toBe(3);
    expect(lagMonthsAt(era, 0.75)).toBe(7.5);
  });
});

describe("stay patterns and scenario settings", () => {
  test("the pattern in force on the approval date governs the whole path; a scenario pattern replaces the data's from its date", () => {
    const plan = planOf(dataWith({ stays: [1, 2, 2, 3] }), {
      stay_patterns: [{ from: "2015-05-04", stays_years: [3, 3, 2] }],
    });
    expect(plan.patterns.map((p) => p.label)).toEqual(["1+2+2+3", "3+3+2"]);
    const paths = simulateResidence(principals(["2015-05-03", "2015-05-04"]), plan, 3);
    expect(paths.pattern[0]).toBe(0);
    expect(paths.pattern[1]).toBe(1);
    expect(paths.applied[0]).toBe(3);
    expect(paths.applied[1]).toBe(2);
  });

  test("adjustments shift rates for events inside their dates only, capped at 1", () => {
    const data = dataWith({ apply: 0 });
    const before = planOf(data, { adjust: [{ from: "2030-01-01", extension_apply: 1 }] });
    const after = planOf(data, { adjust: [{ from: "2019-01-01", extension_apply: 1 }] });
    const p = principals(["2019-03-31"]);
    expect(simulateResidence(p, before, 1).applied[0]).toBe(0);
    expect(simulateResidence(p, after, 1).applied[0]).toBe(3);
  });

  test("a profile rule gives its value to the principals it matches, the constant to others", () => {
    const data = dataWith({});
    data.rates[0]!.extensions[0]!.apply = {
      value: 0,
      by_profile: [{ when: { income_hkd: { from: 2_500_000 } }, value: 1 }],
      confidence: "assumption",
    };
    const plan = planOf(data);
    const p = principals(["2019-03-31", "2019-03-31"]);
    p.income[1] = 3_000_000;
    const paths = simulateResidence(p, plan, 1);
    expect(paths.applied[0]).toBe(0);
    expect(paths.applied[1]).toBe(3);
  });
});

describe("tables", () => {
  test("quarterly stock: every state and persons, read at quarter ends", () => {
    const plan = planOf(dataWith({ takeUp: 1, apply: 0, lag: [{ within: 1, share: 1 }], stays: [1] }));
    // two principals approved 2019-03-31 (2 and 3 persons): arrive within a month, leave a year after
    const p = principals(["2019-03-31", "2019-03-31"], [2, 3]);
    const paths = simulateResidence(p, plan, 1);
    const r = readResidence(paths, q("2019-01-01"), 12);
    const rows = residenceQuarters(r);
    expect(rows[0]).toMatchObject({ allotted_to_date: 2, awaiting_arrival: 2, in_hk: 0, persons_in_hk: 0 });
    expect(rows[1]).toMatchObject({ allotted_to_date: 2, awaiting_arrival: 0, in_hk: 2, persons_in_hk: 5 });
    expect(rows[5]).toMatchObject({ in_hk: 0, left_hk: 2, persons_in_hk: 0 });
    expect(residenceTotals(r)).toMatchObject({
      arrived: 2,
      left_hk: 2,
      permanent_residents: 0,
      persons_in_hk: 0,
    });
    const [cohort] = residenceCohorts(r);
    expect(cohort).toMatchObject({ year: 2019, allotted: 2, persons: 5, arrived: 2, persons_arrived: 5 });
    expect(cohort!.applied[0]).toBe(0);
    // 12 quarters from 2019Q1 end on 2021-12-31: 7 years after allotment is beyond the horizon
    expect(cohort!.in_hk_after_7y).toBeNaN();
    // arrived in April 2019 and left a year after: in Hong Kong on 2020-03-31 only
    expect(cohort!.survival).toEqual([0, 1, 0]);
  });

  test("cohorts: extensions counted only when they fall by the horizon; permanent residents and persons", () => {
    const plan = planOf(dataWith({ lag: [{ within: 1, share: 1 }] }));
    const paths = simulateResidence(principals(["2019-03-31"], [4]), plan, 1);
    const short = residenceCohorts(readResidence(paths, q("2019-01-01"), 10))[0]!; // to 2021-06-30
    expect(short.applied).toEqual([1, 0, 0]);
    const long = residenceCohorts(readResidence(paths, q("2019-01-01"), 40))[0]!; // to 2028-12-31
    expect(long.applied).toEqual([1, 1, 1]);
    expect(long.granted).toEqual([1, 1, 1]);
    expect(long).toMatchObject({ in_hk_after_7y: 1, persons_in_hk_after_7y: 4, permanent_residents: 1 });
    expect(long.persons_permanent_residents).toBe(4);
    expect(long.survival.length).toBe(10); // years 0 … 9 end by 2028-12-31
    expect(long.survival[0]).toBe(0); // approved, not yet arrived on the day of allotment
    expect(long.survival.slice(1)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
});
