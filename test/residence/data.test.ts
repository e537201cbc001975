import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { parseIsoDay, quarterOfDay } from "../../src/dates.js";
import { QmasError } from "../../src/errors.js";
import {
  compilePlan,
  loadResidenceData,
  parseResidenceData,
  RESIDENCE_FIGURE_METRICS,
  readResidence,
  residenceFigure,
  simulateResidence,
} from "../../src/residence/index.js";
import { residenceConfigSchema } from "../../src/scenario/schema.js";
import { parsePublishedFigures } from "../../src/validation/published.js";
import { dataWith, planOf, principals } from "./helpers.js";

function errorText(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof QmasError ? e.format() : String(e);
  }
  return "no error";
}

describe("data/residence/qmas.yaml", () => {
  const { data, file } = loadResidenceData("qmas");

  test("stay patterns by era: 1+2+2+3 until 2015-05-04, 2+3+3 from then, 3+3+2 from 2023 marked uncertain", () => {
    expect(file).toBe("data/residence/qmas.yaml");
    expect(data.stay_patterns.map((p) => [p.from, p.stays_years.join("+"), p.uncertain])).toEqual([
      ["2006-06-28", "1+2+2+3", false],
      ["2015-05-04", "2+3+3", false],
      ["2023-01-01", "3+3+2", true],
    ]);
    const plan = compilePlan(data, residenceConfigSchema.parse({}));
    expect(plan.permanentMonths).toBe(84);
    expect(plan.maxExtensions).toBe(3);
  });

  test("every rate has a source or says assumption; values borrowed for the post-2023 era say so", () => {
    const rates = data.rates.flatMap((era) => [
      era.arrival.take_up,
      ...era.extensions.flatMap((x) => [x.apply, x.approve]),
      era.permanent_residence,
    ]);
    for (const r of rates) expect(r.confidence === "assumption" || r.source !== undefined).toBe(true);
    const post2023 = data.rates.find((e) => e.from === "2023-01-01")!;
    expect(post2023.arrival.take_up.borrowed_from).toBe("TTPS");
    expect(post2023.extensions[0]!.apply.borrowed_from).toBe("TTPS");
    expect(post2023.extensions[0]!.apply.by_profile[0]).toEqual({
      when: { income_hkd: { from: 2_500_000 } },
      value: 0.88,
    });
  });

  test("errors name the file and the key", () => {
    const raw = parse(readFileSync("data/residence/qmas.yaml", "utf8"));
    raw.rates[0].arrival.take_up.value = 1.5;
    expect(errorText(() => parseResidenceData(raw, "x.yaml"))).toMatch(
      /^x\.yaml: rates\.0\.arrival\.take_up\.value: .*1/,
    );
    const noSource = parse(readFileSync("data/residence/qmas.yaml", "utf8"));
    noSource.rates[0].extensions[0].apply = { value: 0.9, confidence: "S1" };
    expect(errorText(() => parseResidenceData(noSource, "y.yaml"))).toBe(
      "y.yaml: rates.0.extensions.0.apply.source: give a source URL (or mark the value confidence: assumption)",
    );
    const typo = parse(readFileSync("data/residence/qmas.yaml", "utf8"));
    typo.stay_patterns[0].stay_years = [1];
    expect(errorText(() => parseResidenceData(typo, "z.yaml"))).toMatch(/^z\.yaml: stay_patterns\.0/);
    expect(errorText(() => loadResidenceData("no-such-data"))).toBe(
      "data/residence/no-such-data.yaml: (top level): no such residence data file",
    );
  });
});

describe("data/published/residence.yaml and residenceFigure", () => {
  test("every figure names a residence metric, an inclusive period, a confidence and a source", () => {
    const doc = parse(readFileSync("data/published/residence.yaml", "utf8")) as {
      figures: {
        id: string;
        period: { from: string; to: string };
        metric: string;
        confidence: string;
        source: string;
      }[];
    };
    expect(doc.figures.map((f) => f.id)).toContain("arrived-2009-03");
    // the file is one of validate's: its parser accepts it
    expect(parsePublishedFigures(doc, "data/published/residence.yaml")).toHaveLength(8);
    // post-2023 figures are the talent schemes', and say so
    for (const f of doc.figures.filter((x) => x.period.from >= "2022-12-28"))
      expect(f.note).toMatch(/Borrowed/);
    for (const f of doc.figures) {
      expect(RESIDENCE_FIGURE_METRICS).toContain(f.metric);
      expect(parseIsoDay(f.period.from)).toBeLessThan(parseIsoDay(f.period.to));
      expect(["C2", "S1"]).toContain(f.confidence);
      expect(f.source).toMatch(/^https?:\/\//);
    }
  });

  test("simulated values over a period, by hand", () => {
    // everyone arrives 1 month after approval (lag table ends at 1 month, drawn linearly) and renews
    const plan = planOf(dataWith({ lag: [{ within: 1, share: 1 }], stays: [1, 2, 2, 3] }));
    const p = principals(["2007-03-31", "2008-06-30", "2009-03-31"]);
    const paths = simulateResidence(p, plan, 4);
    const r = readResidence(paths, quarterOfDay(parseIsoDay("2007-01-01")), 60);
    const period = { from: "2006-06-28", to: "2009-03-31" };
    expect(residenceFigure("approved", period, r)).toBe(3);
    // the third is approved on the last day: not arrived by then
    expect(residenceFigure("arrived", period, r)).toBe(2);
    expect(residenceFigure("arrived_share", period, r)).toBeCloseTo(2 / 3, 12);
    // only the first reached a first expiry by 2009-03-31, and applied
    expect(residenceFigure("extension_applied_share", period, r)).toBe(1);
    expect(residenceFigure("first_extension_not_sought", period, r)).toBe(0);
    expect(residenceFigure("in_hk", period, r)).toBe(2);
    expect(residenceFigure("permanent_residents", { from: "2006-06-28", to: "2014-12-31" }, r)).toBe(1);
    expect(residenceFigure("permanent_residents", { from: "2006-06-28", to: "2016-12-31" }, r)).toBe(3);
    expect(residenceFigure("allotted", period, r)).toBeUndefined();
    expect(residenceFigure("cutoff_score", period, r)).toBeUndefined();
  });

  test("nobody to share among: NaN; nobody renews: counted as not sought", () => {
    const plan = planOf(dataWith({ apply: 0, lag: [{ within: 1, share: 1 }] }));
    const r = readResidence(
      simulateResidence(principals(["2007-03-31"]), plan, 4),
      quarterOfDay(parseIsoDay("2007-01-01")),
      40,
    );
    expect(residenceFigure("arrived_share", { from: "2010-01-01", to: "2010-12-31" }, r)).toBeNaN();
    expect(residenceFigure("first_extension_not_sought", { from: "2006-06-28", to: "2009-03-31" }, r)).toBe(
      1,
    );
    expect(residenceFigure("left_hk", { from: "2006-06-28", to: "2009-03-31" }, r)).toBe(1);
  });
});
