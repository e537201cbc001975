import { describe, expect, test } from "vitest";
import { residenceStockSpec, survivalSpec } from "../../src/report/html/charts.js";
import type { ResidenceReport } from "../../src/report/html/models.js";
import { residenceAnswer } from "../../src/report/html/run.js";

const report: ResidenceReport = {
  allotted: 1000,
  arrived: 776,
  inHkAfter7y: 624,
  permanentResidents: 550,
  personsInHkEnd: 1280,
  horizonEnd: "2027-12-31",
  survival: [
    { cohort: "2019", years: 0, share: 0 },
    { cohort: "2019", years: 1, share: 0.7 },
  ],
  stock: [
    { quarter: "2019Q1", state: "awaiting arrival", principals: 250 },
    { quarter: "2019Q1", state: "in Hong Kong", principals: 0 },
  ],
};

describe("the report after allotment", () => {
  test("the answer paragraph: of N allotted, X arrived, Y still in Hong Kong after 7 years, Z permanent residents", () => {
    expect(residenceAnswer(report)).toBe(
      "Of 1,000 allotted, 776 arrived, 624 were still in Hong Kong after 7 years and 550 became permanent residents by 2027-12-31; 1,280 persons (principals with their dependants) were in Hong Kong then.",
    );
    expect(residenceAnswer({ ...report, inHkAfter7y: null })).toContain(
      "776 arrived, 7 years after allotment lies beyond the horizon for all of them and 550 became",
    );
  });

  test("the charts get pre-aggregated rows: one per cohort and year, one per quarter and state", () => {
    const survival = survivalSpec(report) as unknown as { data: { values: unknown[] } };
    expect(survival.data.values).toEqual(report.survival);
    const stock = residenceStockSpec(report) as unknown as { data: { values: { order: number }[] } };
    expect(stock.data.values.map((v) => v.order)).toEqual([0, 2]);
  });
});
