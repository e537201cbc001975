import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { poolFromApplicants } from "../../src/applicants/pool.js";
import { type Applicant, defaultApplicant } from "../../src/applicants/record.js";
import { parseIsoDay } from "../../src/dates.js";
import { scorePool } from "../../src/rules/batch.js";
import { explainApplicant } from "../../src/rules/explain.js";
import { forcedListNote, listChoices, listDay } from "../../src/rules/list-day.js";
import { loadRuleBook } from "../../src/rules/load.js";
import { scoreApplicant } from "../../src/rules/score.js";
import { validateScenario } from "../../src/scenario/validate.js";
import { loadScenarioInputs, runScenario } from "../../src/simulation/run.js";
import { ALLOTTED, REFUSED_BELOW_PASS_MARK } from "../../src/simulation/timeline.js";

/**
 * A forced rule set brings the Talent List of its own period: an application dated outside the period
 * is checked against the list in force on the period's nearest day.
 */

const book = loadRuleBook("data");

function applicant(id: string, appliedOn: string, profession: string): Applicant {
  return {
    ...defaultApplicant(id, appliedOn, 35),
    master_degrees: 1,
    years_experience: 6,
    chinese: true,
    english: true,
    profession,
  };
}

/** talent_list points of one applicant, from scoreApplicant and from scorePool (which must agree). */
function talentPoints(a: Applicant, rules: string): { single: number; batch: number; total: number } {
  const rs = book.get(rules);
  const one = scoreApplicant(a, rs, book);
  const scores = scorePool(poolFromApplicants([a]), book, { rules });
  const f = scores.factorIds.indexOf("talent_list");
  expect(scores.total[0]).toBe(one.total);
  return {
    single: one.factors.find((x) => x.id === "talent_list")?.points ?? -1,
    batch: f < 0 ? -1 : scores.factorPoints[f]![0]!,
    total: one.total,
  };
}

/** The list (id, lookup day, why) an application dated `appliedOn` gets under `rules`. */
function choiceOf(rules: string, appliedOn: string): [string | undefined, string, string] {
  const [c] = listChoices(book, book.get(rules), appliedOn);
  return [c!.list?.id, c!.day, c!.dayIs];
}

/** A profession on talent-list-2023 (in force from 2023-05-16) but not on the list in force on `day`. */
function newIn2023(day: string): string {
  const key = book
    .talentListInForce("talent_list", "2023-05-16")!
    .professions.map((p) => p.key)
    .find((k) => !book.isListed("talent_list", day, k));
  expect(key).toBeDefined();
  return key!;
}

describe("listDay", () => {
  const rs2018 = book.get("qmas-gpt-2018");
  it("keeps a date inside the period and moves one outside to the nearest day of it", () => {
    expect(listDay(rs2018, "2019-03-01")).toBe(parseIsoDay("2019-03-01"));
    expect(listDay(rs2018, "2018-08-28")).toBe(parseIsoDay("2018-08-28"));
    expect(listDay(rs2018, "2010-05-01")).toBe(parseIsoDay("2018-08-28"));
    // effective_to is exclusive: the last day is the day before it
    expect(listDay(rs2018, "2023-01-01")).toBe(parseIsoDay("2022-12-31"));
    expect(listDay(rs2018, "2025-06-30")).toBe(parseIsoDay("2022-12-31"));
    // an open-ended rule set has no last day
    expect(listDay(book.get("qmas-criteria-2024"), "2030-01-01")).toBe(parseIsoDay("2030-01-01"));
  });
});

describe("a forced rule set brings its own Talent List", () => {
  it("a 2010 actuary scored under qmas-gpt-2018 gets the 2018 list's +30", () => {
    const a = applicant("X", "2010-05-01", "actuary");
    expect(talentPoints(a, "qmas-gpt-2018")).toEqual({ single: 30, batch: 30, total: 115 });
    expect(choiceOf("qmas-gpt-2018", a.applied_on)).toEqual(["talent-list-2018", "2018-08-28", "first-day"]);
    expect(listChoices(book, book.get("qmas-gpt-2018"), a.applied_on)[0]!.family).toBe("talent_list");
  });

  it("qmas-gpt-2023 for a 2010 date uses the list in force on 2023-01-01 (talent-list-2022)", () => {
    // esg_finance_professional joined in the 2021 review: on talent-list-2022, not on talent-list-2018
    const esg = applicant("E", "2010-05-01", "esg_finance_professional");
    expect(talentPoints(esg, "qmas-gpt-2023")).toEqual({ single: 30, batch: 30, total: 115 });
    expect(choiceOf("qmas-gpt-2023", esg.applied_on)).toEqual([
      "talent-list-2022",
      "2023-01-01",
      "first-day",
    ]);
    // a key that only talent-list-2023 (from 2023-05-16) has earns nothing on 2023-01-01's list
    const late = newIn2023("2023-01-01");
    expect(talentPoints(applicant("N", "2010-05-01", late), "qmas-gpt-2023").single).toBe(0);
  });

  it("a date after the period uses the list in force on its last day", () => {
    // under qmas-gpt-2018 (to 2022-12-31) a 2024 application gets talent-list-2022, not talent-list-2023
    const esg = applicant("Y", "2024-03-01", "esg_finance_professional");
    expect(talentPoints(esg, "qmas-gpt-2018")).toEqual({ single: 30, batch: 30, total: 115 });
    expect(choiceOf("qmas-gpt-2018", esg.applied_on)).toEqual(["talent-list-2022", "2022-12-31", "last-day"]);
    const late = applicant("Z", "2024-03-01", newIn2023("2022-12-31"));
    expect(talentPoints(late, "qmas-gpt-2018").single).toBe(0);
    expect(talentPoints(late, "qmas-gpt-2023").single).toBe(30);
  });

  it("qmas-gpt-2015 has no list: no talent_list factor, nothing added", () => {
    const a = applicant("X", "2010-05-01", "actuary");
    const one = scoreApplicant(a, book.get("qmas-gpt-2015"), book);
    expect(one.factors.map((f) => f.id)).not.toContain("talent_list");
    expect(one.total).toBe(85);
    expect(talentPoints(a, "qmas-gpt-2015")).toEqual({ single: -1, batch: -1, total: 85 });
    expect(listChoices(book, book.get("qmas-gpt-2015"), a.applied_on)).toEqual([]);
  });

  it("inside the period the application's own date decides, as under auto", () => {
    // talent-list-2022 came into force on 2021-10-06, inside qmas-gpt-2018's period
    const before = applicant("B", "2021-10-05", "esg_finance_professional");
    const after = applicant("A", "2021-10-06", "esg_finance_professional");
    expect(talentPoints(before, "qmas-gpt-2018").single).toBe(0);
    expect(talentPoints(after, "qmas-gpt-2018").single).toBe(30);
    const auto = scorePool(poolFromApplicants([before, after]), book);
    const f = auto.factorIds.indexOf("talent_list");
    expect([auto.factorPoints[f]![0], auto.factorPoints[f]![1]]).toEqual([0, 30]);
  });

  it("batch and single scoring agree across a pool spanning every rule set's period", () => {
    const keys = ["actuary", "esg_finance_professional", "", "not_a_profession"];
    const days = [
      "2006-06-28",
      "2010-05-01",
      "2016-01-01",
      "2018-08-27",
      "2018-08-28",
      "2021-10-06",
      "2022-12-31",
    ];
    const more = ["2023-01-01", "2023-05-15", "2023-05-16", "2024-10-31", "2024-11-01", "2026-01-01"];
    const applicants = [...days, ...more].flatMap((d, i) =>
      keys.map((k, j) => applicant(`a${i}-${j}`, d, k)),
    );
    const pool = poolFromApplicants(applicants);
    for (const id of book.ids) {
      const scores = scorePool(pool, book, { rules: id });
      const f = scores.factorIds.indexOf("talent_list");
      applicants.forEach((a, k) => {
        const one = scoreApplicant(a, book.get(id), book);
        expect(scores.total[k], `${a.id} ${a.applied_on} ${a.profession} under ${id}`).toBe(one.total);
        if (f >= 0)
          expect(scores.factorPoints[f]![k]).toBe(
            one.factors.find((x) => x.id === "talent_list")?.points ?? -1,
          );
      });
    }
  });
});

describe("explain names the Talent List used and why", () => {
  const explain = (a: Applicant, rules: string) => explainApplicant(a, book.get(rules), book).lines;
  /** the line after the header, for an actuary dated `appliedOn` */
  const listLine = (appliedOn: string, rules: string) =>
    explain(applicant("X", appliedOn, "actuary"), rules)[1];

  it("before the period: the first day's list", () => {
    const lines = explain(applicant("X", "2010-05-01", "actuary"), "qmas-gpt-2018");
    expect(lines[1]).toBe(
      "Talent List: talent-list-2018 (in force on 2018-08-28, the first day of qmas-gpt-2018, because the application is dated 2010-05-01, before the rule set's period)",
    );
    expect(lines).toContain(
      "  Talent List: 30 / 30 (Meets the specifications of a profession on the Talent List in force)",
    );
  });

  it("after the period: the last day's list", () => {
    expect(listLine("2024-03-01", "qmas-gpt-2018")).toBe(
      "Talent List: talent-list-2022 (in force on 2022-12-31, the last day of qmas-gpt-2018, because the application is dated 2024-03-01, after the rule set's period)",
    );
    expect(listLine("2010-05-01", "qmas-gpt-2023")).toBe(
      "Talent List: talent-list-2022 (in force on 2023-01-01, the first day of qmas-gpt-2023, because the application is dated 2010-05-01, before the rule set's period)",
    );
  });

  it("inside the period: the application date's list", () => {
    const x = explainApplicant(applicant("Z", "2019-03-01", "actuary"), book.get("qmas-gpt-2018"), book);
    expect(x.lines[1]).toBe("Talent List: talent-list-2018 (in force on the application date, 2019-03-01)");
    expect(x.talentLists.map((c) => [c.list?.id, c.day, c.dayIs])).toEqual([
      ["talent-list-2018", "2019-03-01", "application"],
    ]);
  });

  it("a table without a list says so when forced, and says nothing about lists in its own period", () => {
    expect(listLine("2010-05-01", "qmas-gpt-2015")).toBe(
      "Talent List: none (qmas-gpt-2015 has no Talent List factor, so no list exists for that table whatever the application date)",
    );
    expect(listLine("2016-05-01", "qmas-gpt-2015")).toBe("Prerequisites: all met.");
  });

  it("a hint names a profession of the list actually used", () => {
    const lines = explain(applicant("X", "2010-05-01", ""), "qmas-gpt-2018");
    const first = book.talentListInForce("talent_list", "2018-08-28")!.professions[0]!.key;
    expect(lines).toContain(`  - a profession on talent-list-2018 (e.g. ${first}): +30`);
  });
});

describe("score --rules: a note on the lists of out-of-period applications", () => {
  const days = (...d: string[]) => Int32Array.from(d.map(parseIsoDay));
  it("counts applications before and after the period and names the lists", () => {
    expect(
      forcedListNote(
        book,
        book.get("qmas-gpt-2018"),
        days("2010-05-01", "2019-01-01", "2024-03-01", "2025-01-01"),
      ),
    ).toBe(
      "score: 1 application dated before qmas-gpt-2018's period uses talent-list-2018 (in force on its first day, 2018-08-28); 2 applications dated after it use talent-list-2022 (in force on its last day, 2022-12-31)",
    );
    expect(forcedListNote(book, book.get("qmas-gpt-2023"), days("2010-05-01", "2011-05-01"))).toBe(
      "score: 2 applications dated before qmas-gpt-2023's period use talent-list-2022 (in force on its first day, 2023-01-01)",
    );
  });

  it("stays silent inside the period and for a table without a list", () => {
    expect(forcedListNote(book, book.get("qmas-gpt-2018"), days("2019-01-01"))).toBeNull();
    expect(forcedListNote(book, book.get("qmas-gpt-2015"), days("2010-05-01"))).toBeNull();
  });
});

describe("rules: ID in a scenario", () => {
  it("a 2010 actuary run under qmas-gpt-2018 passes a mark of 100 thanks to the 2018 list's +30", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmas-forced-list-"));
    const csv = join(dir, "pool.csv");
    const header = "id,applied_on,age,master_degrees,years_experience,chinese,english,profession";
    const rows = ["ACT,2010-05-01,35,1,6,true,true,actuary", "OTHER,2010-05-01,35,1,6,true,true,"];
    writeFileSync(csv, `${header}\n${rows.join("\n")}\n`);
    const scenario = validateScenario(
      { name: "forced-list", pool: { csv }, rules: "qmas-gpt-2018", pass_mark: 100, quota: { per_year: 10 } },
      join(dir, "forced-list.yaml"),
    );
    const r = runScenario(scenario, await loadScenarioInputs(scenario)).result;
    const decisions = new Map<string, number>();
    for (let g = 0; g < r.apps.size; g++) decisions.set(r.apps.idOf(g), r.decision[g]!);
    expect(decisions.get("ACT")).toBe(ALLOTTED);
    expect(decisions.get("OTHER")).toBe(REFUSED_BELOW_PASS_MARK);
  });
});
