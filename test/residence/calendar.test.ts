import fc from "fast-check";
import { expect, test } from "vitest";
import { quarterOfDay } from "../../src/dates.js";
import { addMonths, dayOf, quarterOf } from "../../src/residence/calendar.js";

const MS = 86_400_000;

test("calendar arithmetic equals Date.UTC's (overflow included) from 1900 to 2200", () => {
  fc.assert(
    fc.property(fc.integer({ min: -25567, max: 84000 }), fc.integer({ min: 0, max: 240 }), (day, months) => {
      const d = new Date(day * MS);
      expect(addMonths(day, months)).toBe(
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()) / MS,
      );
      expect(quarterOf(day)).toBe(quarterOfDay(day));
      expect(dayOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(day);
    }),
    { numRuns: 2000 },
  );
  expect(addMonths(dayOf(2019, 1, 31), 1)).toBe(dayOf(2019, 3, 3));
  expect(addMonths(dayOf(2020, 2, 29), 12)).toBe(dayOf(2021, 3, 1));
});
