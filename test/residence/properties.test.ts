import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { formatIsoDay, parseIsoDay, quarterOfDay, quarterStartDay } from "../../src/dates.js";
import {
  NOT_YET,
  type Principals,
  RESIDENCE_STATES,
  readResidence,
  residenceQuarters,
  residenceTotals,
  simulateResidence,
  stateAt,
} from "../../src/residence/index.js";
import { addMonths } from "../../src/residence/simulate.js";
import { dataWith, planOf } from "./helpers.js";

/** Random allotted principals over 2006–2025 and random rates and stay patterns. */
const principalArb = fc.record({
  day: fc.integer({ min: 0, max: 365 * 19 }),
  persons: fc.integer({ min: 1, max: 6 }),
  income: fc.integer({ min: 0, max: 5_000_000 }),
  route: fc.integer({ min: 0, max: 2 }),
});
const p01 = fc.double({ min: 0, max: 1, noNaN: true });
const ratesArb = fc.record({
  takeUp: p01,
  apply: p01,
  approve: p01,
  permanent: p01,
  stays: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
});

const START = parseIsoDay("2006-07-01");

function principalsOf(raw: fc.infer<typeof principalArb>[]): Principals {
  const sorted = [...raw].sort((a, b) => a.day - b.day);
  const n = sorted.length;
  return {
    count: n,
    key: Int32Array.from({ length: n }, (_, i) => i * 7 + 3),
    approvedOn: Int32Array.from(sorted, (r) => START + r.day),
    route: Uint8Array.from(sorted, (r) => r.route),
    age: new Uint8Array(n).fill(35),
    income: Float64Array.from(sorted, (r) => r.income),
    persons: Uint8Array.from(sorted, (r) => r.persons),
  };
}

const firstQuarter = quarterOfDay(START);
const QUARTERS = 4 * 30;

describe("residence properties", () => {
  test("people are conserved every quarter; dependants follow their principal", () => {
    fc.assert(
      fc.property(fc.array(principalArb, { maxLength: 40 }), ratesArb, fc.integer(), (raw, rates, seed) => {
        const p = principalsOf(raw);
        const paths = simulateResidence(p, planOf(dataWith(rates)), seed);
        const r = readResidence(paths, firstQuarter, QUARTERS);
        for (const [k, row] of residenceQuarters(r).entries()) {
          const end = quarterStartDay(firstQuarter + k + 1) - 1;
          let allotted = 0;
          let personsIn = 0;
          const byState = new Array(RESIDENCE_STATES.length).fill(0);
          for (let i = 0; i < p.count; i++) {
            const s = stateAt(paths, i, end);
            if (s === NOT_YET) continue;
            allotted++;
            byState[s]++;
            if (s === 2 || s === 4) personsIn += p.persons[i]!;
          }
          const sum =
            row.awaiting_arrival + row.never_arrived + row.in_hk + row.left_hk + row.permanent_resident;
          expect(row.allotted_to_date).toBe(sum);
          expect(row.allotted_to_date).toBe(allotted);
          expect([
            row.awaiting_arrival,
            row.never_arrived,
            row.in_hk,
            row.left_hk,
            row.permanent_resident,
          ]).toEqual(byState);
          // persons in Hong Kong are exactly the persons of the principals there
          expect(row.persons_in_hk).toBe(personsIn);
        }
      }),
      { numRuns: 60 },
    );
  });

  test("nobody is a permanent resident before 7 years of residence; never-arrived have no extensions", () => {
    fc.assert(
      fc.property(fc.array(principalArb, { maxLength: 60 }), ratesArb, fc.integer(), (raw, rates, seed) => {
        const p = principalsOf(raw);
        const paths = simulateResidence(p, planOf(dataWith(rates)), seed);
        for (let i = 0; i < p.count; i++) {
          const arrival = paths.arrivalDay[i]!;
          if (paths.permanentDay[i]! >= 0) {
            expect(arrival).toBeGreaterThanOrEqual(0);
            expect(paths.permanentDay[i]!).toBeGreaterThanOrEqual(addMonths(arrival, 84));
            expect(paths.exitDay[i]).toBe(-1);
          }
          if (arrival < 0) {
            expect(paths.applied[i]).toBe(0);
            expect(paths.granted[i]).toBe(0);
            expect(paths.exitDay[i]).toBe(-1);
            expect(paths.permanentDay[i]).toBe(-1);
          }
          expect(paths.granted[i]!).toBeLessThanOrEqual(paths.applied[i]!);
          expect(paths.applied[i]! - paths.granted[i]!).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 100 },
    );
  });

  test("the same seed gives the same paths; a principal's path depends on its key, not on who else is there", () => {
    fc.assert(
      fc.property(
        fc.array(principalArb, { minLength: 2, maxLength: 30 }),
        ratesArb,
        fc.integer(),
        (raw, rates, seed) => {
          const plan = planOf(dataWith(rates));
          const p = principalsOf(raw);
          const a = simulateResidence(p, plan, seed);
          const b = simulateResidence(p, plan, seed);
          expect(b).toEqual(a);
          // drop the first principal: everyone else's path is unchanged
          const rest: Principals = {
            count: p.count - 1,
            key: p.key.slice(1),
            approvedOn: p.approvedOn.slice(1),
            route: p.route.slice(1),
            age: p.age.slice(1),
            income: p.income.slice(1),
            persons: p.persons.slice(1),
          };
          const c = simulateResidence(rest, plan, seed);
          expect(Array.from(c.arrivalDay)).toEqual(Array.from(a.arrivalDay.slice(1)));
          expect(Array.from(c.exitDay)).toEqual(Array.from(a.exitDay.slice(1)));
          expect(Array.from(c.permanentDay)).toEqual(Array.from(a.permanentDay.slice(1)));
        },
      ),
      { numRuns: 50 },
    );
  });

  test("raising every renewal rate never lowers the permanent-resident count for the same seed", () => {
    fc.assert(
      fc.property(
        fc.array(principalArb, { maxLength: 60 }),
        ratesArb,
        fc.record({ apply: p01, approve: p01, permanent: p01 }),
        fc.integer(),
        (raw, rates, raise, seed) => {
          const p = principalsOf(raw);
          const data = dataWith(rates);
          const low = simulateResidence(p, planOf(data), seed);
          const high = simulateResidence(
            p,
            planOf(data, {
              adjust: [
                {
                  extension_apply: raise.apply,
                  extension_approve: raise.approve,
                  permanent_residence: raise.permanent,
                },
              ],
            }),
            seed,
          );
          const end = quarterStartDay(firstQuarter + QUARTERS) - 1;
          const lowPr = residenceTotals(readResidence(low, firstQuarter, QUARTERS)).permanent_residents;
          const highPr = residenceTotals(readResidence(high, firstQuarter, QUARTERS)).permanent_residents;
          expect(highPr).toBeGreaterThanOrEqual(lowPr);
          // stronger: each principal who became a permanent resident still does
          for (let i = 0; i < p.count; i++)
            if (stateAt(low, i, end) === 4) expect(stateAt(high, i, end)).toBe(4);
        },
      ),
      { numRuns: 100 },
    );
  });

  test("dates stay calendar dates (the same day of the month when it exists)", () => {
    expect(formatIsoDay(addMonths(parseIsoDay("2019-03-15"), 84))).toBe("2026-03-15");
    expect(formatIsoDay(addMonths(parseIsoDay("2020-02-29"), 12))).toBe("2021-03-01");
  });
});
