import { describe, expect, it } from "vitest";
import { formatIsoDay, formatQuarter, parseIsoDay, quarterOfDay, quarterStartDay } from "../src/dates.js";

describe("dates", () => {
  it("round-trips ISO days and rejects impossible dates", () => {
    expect(formatIsoDay(parseIsoDay("2018-08-28"))).toBe("2018-08-28");
    expect(parseIsoDay("2019-02-29")).toBeNaN();
    expect(parseIsoDay("2020-02-29")).not.toBeNaN();
    expect(parseIsoDay("2020-2-9")).toBeNaN();
  });
  it("maps days to quarters and back", () => {
    const q = quarterOfDay(parseIsoDay("2019-05-17"));
    expect(formatQuarter(q)).toBe("2019Q2");
    expect(formatIsoDay(quarterStartDay(q))).toBe("2019-04-01");
    expect(formatQuarter(quarterOfDay(parseIsoDay("2019-12-31")))).toBe("2019Q4");
  });
});
