import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatIsoDay, parseIsoDay, todayIsoDay } from "../../src/dates.js";
import { ErrorList, InputError, type QmasError, RuleSetError } from "../../src/errors.js";
import { loadRuleBook, ruleBookFrom } from "../../src/rules/load.js";

type Data = Record<string, unknown>;

/** A small valid book: two points rule sets, a criteria rule set, one Talent List family. */
function base(): { rules: Data[]; lists: Data[] } {
  const prerequisites = [
    { id: "age", label: "Aged 18 or above", when: { field: "age", gte: 18 } },
    {
      id: "language",
      label: "Chinese or English",
      when: {
        any: [
          { field: "chinese", is: true },
          { field: "english", is: true },
        ],
      },
    },
  ];
  const apt = { when: { field: "achievement", not_in: ["none"] }, label: "APT" };
  const sources = [{ about: "test", url: "https://example.org" }];
  const points = (id: string, from: string, to: string | null) => ({
    id,
    title: id,
    kind: "points",
    effective_from: from,
    effective_to: to,
    max_total: 70,
    pass: { min_total: 40 },
    sources,
    prerequisites,
    apt,
    factors: [
      {
        id: "age",
        label: "Age",
        max: 30,
        components: [
          {
            bands: {
              field: "age",
              bands: [
                { from: 18, to: 40, points: 30, label: "18–39" },
                { from: 40, to: 51, points: 15, label: "40–50" },
                { from: 51, points: 0, label: "51+" },
              ],
            },
          },
        ],
      },
      {
        id: "work",
        label: "Work",
        max: 20,
        components: [
          {
            ladder: [
              {
                when: {
                  all: [
                    { field: "years_experience", gte: 5 },
                    { field: "years_senior", gte: 2 },
                  ],
                },
                points: 10,
                label: "5 y with 2 senior",
              },
              { when: { field: "years_experience", gte: 5 }, points: 5, label: "5 y" },
            ],
          },
          { membership: { field: "profession", list: "talent_list", points: 10, label: "Talent List" } },
        ],
      },
      {
        id: "family",
        label: "Family",
        max: 20,
        components: [
          { bonus: { when: { field: "hk_permanent_family", is: true }, points: 10, label: "HK PR family" } },
          { per_unit: { field: "children_under_18", points: 5, max_units: 2, label: "per child" } },
        ],
      },
    ],
  });
  const criteria = {
    id: "mini-criteria",
    title: "criteria",
    kind: "criteria",
    effective_from: "2015-01-01",
    effective_to: null,
    max_total: 2,
    pass: { min_criteria: 1 },
    sources,
    prerequisites,
    apt,
    criteria: [
      { id: "young", label: "Age 50 or under", when: { field: "age", lte: 50 }, official: true },
      { id: "rich", label: "Income", when: { field: "annual_income_hkd", gte: 1_000_000 }, official: true },
    ],
  };
  const list = (id: string, from: string, to: string | null) => ({
    id,
    list: "talent_list",
    effective_from: from,
    effective_to: to,
    sources,
    professions: [{ key: "actuary", label: "Actuary" }],
  });
  return {
    rules: [
      points("mini-2006", "2006-06-28", "2010-01-01"),
      points("mini-2010", "2010-01-01", "2015-01-01"),
      criteria,
    ],
    lists: [list("tl-2006", "2006-06-28", "2012-01-01"), list("tl-2012", "2012-01-01", null)],
  };
}

const tmpRoot = mkdtempSync(join(tmpdir(), "qmas-rules-"));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));
let dirCount = 0;

function writeBook(rules: Data[], lists: Data[], raw: Record<string, string> = {}): string {
  const dir = join(tmpRoot, `book${dirCount++}`);
  mkdirSync(join(dir, "rules"), { recursive: true });
  mkdirSync(join(dir, "talent-lists"), { recursive: true });
  for (const r of rules) writeFileSync(join(dir, "rules", `${r.id}.yaml`), stringify(r));
  for (const l of lists) writeFileSync(join(dir, "talent-lists", `${l.id}.yaml`), stringify(l));
  for (const [name, text] of Object.entries(raw)) writeFileSync(join(dir, name), text);
  return dir;
}

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ErrorList) return e.errors.map((x: QmasError) => x.format());
    if (e instanceof RuleSetError) return [e.format()];
    throw e;
  }
  throw new Error("expected the book to be rejected");
}

/** Mutate a fresh copy of the base book, write it, load it, and return the error lines. */
function rejectLoad(mutate: (b: { rules: Data[]; lists: Data[] }) => void): string[] {
  const b = base();
  mutate(b);
  return errorsOf(() => loadRuleBook(writeBook(b.rules, b.lists)));
}

// biome-ignore lint/suspicious/noExplicitAny: reaching into nested test fixtures
type Loose = any;
const rule = (b: { rules: Data[] }, k: number): Loose => b.rules[k];

describe("loadRuleBook accepts", () => {
  it("the small valid book and the real data/ book", () => {
    const b = base();
    const book = loadRuleBook(writeBook(b.rules, b.lists));
    expect(book.ids).toEqual(["mini-2006", "mini-2010", "mini-criteria"]);
    expect(loadRuleBook("data").ids).toEqual([
      "qmas-gpt-2006",
      "qmas-gpt-2008",
      "qmas-gpt-2015",
      "qmas-gpt-2018",
      "qmas-gpt-2023",
      "qmas-criteria-2024",
    ]);
  });
});

describe("loadRuleBook rejects, naming file, key path and reason", () => {
  it("an unknown key, suggesting the closest valid key", () => {
    const msgs = rejectLoad((b) => {
      const band = rule(b, 0).factors[0].components[0].bands.bands[0];
      band.ponts = band.points;
      delete band.points;
    });
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /mini-2006\.yaml: factors\.0\.components\.0\.bands\.bands\.0\.ponts: unknown key 'ponts' \(did you mean 'points'\?\)$/,
      ),
    );
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /mini-2006\.yaml: factors\.0\.components\.0\.bands\.bands\.0\.points: Invalid input: expected number/,
      ),
    );
  });

  it("an unknown top-level key", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 2).critera = [];
    });
    expect(msg).toMatch(/mini-criteria\.yaml: critera: unknown key 'critera' \(did you mean 'criteria'\?\)/);
  });

  it("a condition on a field the applicant does not have", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 0).prerequisites[0].when = { field: "agee", gte: 18 };
    });
    expect(msg).toMatch(
      /mini-2006\.yaml: prerequisites\.0\.when\.field: 'agee' is not an applicant field \(did you mean 'age'\?\)/,
    );
  });

  it("an operator that does not fit the field's type, and two operators in one leaf", () => {
    const msgs = rejectLoad((b) => {
      rule(b, 0).prerequisites[0].when = { field: "chinese", gte: 1 };
      rule(b, 0).prerequisites[1].when = { field: "age", gte: 18, lte: 50 };
    });
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /mini-2006\.yaml: prerequisites\.0\.when\.gte: operator 'gte' does not apply to boolean field 'chinese'/,
      ),
    );
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /prerequisites\.1\.when: a comparison has exactly one operator, found gte and lte/,
      ),
    );
  });

  it("a text value outside a closed vocabulary", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 0).apt.when = { field: "achievement", in: ["awrd"] };
    });
    expect(msg).toMatch(/apt\.when\.in\.0: 'awrd' is not a value of 'achievement' .*did you mean 'award'/);
  });

  it("overlapping bands", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 0).factors[0].components[0].bands.bands[0].to = 45;
    });
    expect(msg).toMatch(
      /mini-2006\.yaml: factors\.0\.components\.0\.bands\.bands\.1: overlapping bands: band '18–39' runs to 45, band '40–50' starts at 40/,
    );
  });

  it("bands out of order", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 0).factors[0].components[0].bands.bands.reverse();
    });
    expect(msg).toMatch(/mini-2006\.yaml: factors\.0\.components\.0\.bands\.bands\.1: bands out of order/);
  });

  it("a ladder rung implied by an earlier rung (it can never match)", () => {
    const [msg] = rejectLoad((b) => {
      const ladder = rule(b, 0).factors[1].components[0].ladder;
      ladder.reverse();
    });
    expect(msg).toMatch(
      /mini-2006\.yaml: factors\.1\.components\.0\.ladder\.1\.when: rung '5 y with 2 senior' can never match: whenever its condition holds, rung 0 \('5 y'\) already matches/,
    );
  });

  it("a rung covered only by several earlier rungs together, and interval reasoning on integers", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 0).factors[1].components[0].ladder = [
        { when: { field: "age", lt: 30 }, points: 10, label: "under 30" },
        { when: { field: "age", gt: 29.5 }, points: 5, label: "30 or over" },
        { when: { field: "age", eq: 40 }, points: 5, label: "exactly 40" },
      ];
    });
    expect(msg).toMatch(
      /ladder\.2\.when: rung 'exactly 40' can never match: whenever its condition holds, rung 1 \('30 or over'\) already matches/,
    );
  });

  it("a contradictory rung, bonus and criterion", () => {
    const msgs = rejectLoad((b) => {
      rule(b, 0).factors[1].components[0].ladder[1].when = {
        all: [
          { field: "years_experience", gte: 5 },
          { field: "years_experience", lt: 5 },
        ],
      };
      rule(b, 0).factors[2].components[0].bonus.when = {
        all: [{ field: "chinese", is: true }, { not: { field: "chinese", is: true } }],
      };
      rule(b, 2).criteria[0].when = {
        all: [
          { field: "age", gt: 50 },
          { field: "age", lt: 51 },
        ],
      };
    });
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /mini-2006\.yaml: factors\.1\.components\.0\.ladder\.1\.when: rung '5 y' can never match: its condition is contradictory/,
      ),
    );
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /mini-2006\.yaml: factors\.2\.components\.0\.bonus\.when: bonus 'HK PR family' can never hold/,
      ),
    );
    expect(msgs).toContainEqual(
      expect.stringMatching(/mini-criteria\.yaml: criteria\.0\.when: criterion 'young' can never hold/),
    );
  });

  it("an APT route that can never be taken", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 0).apt.when = {
        all: [
          { field: "achievement", in: ["award"] },
          { field: "achievement", in: ["none"] },
        ],
      };
    });
    expect(msg).toMatch(/mini-2006\.yaml: apt\.when: the APT route can never hold/);
  });

  it("a factor max its components cannot reach, or can exceed", () => {
    const msgs = rejectLoad((b) => {
      rule(b, 0).factors[0].max = 35;
      rule(b, 0).max_total = 75;
      delete rule(b, 1).factors[2].components[1].per_unit.max_units;
    });
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /mini-2006\.yaml: factors\.0\.max: factor 'age' has max 35 but its components reach at most 30$/,
      ),
    );
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /mini-2010\.yaml: factors\.2\.max: factor 'family' has max 20 but its components can reach 1285 points/,
      ),
    );
  });

  it("max_total that is not the sum of factor maxima (the APT scores max_total)", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 1).max_total = 80;
    });
    expect(msg).toMatch(
      /mini-2010\.yaml: max_total: max_total 80 must equal the sum of the factor maxima \(70\)/,
    );
  });

  it("a gap between rule sets", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 0).effective_to = "2009-12-31";
    });
    expect(msg).toMatch(
      /mini-2006\.yaml: effective_to: gap in effective dates: mini-2006 ends 2009-12-31 but the next rule set 'mini-2010' starts 2010-01-01/,
    );
  });

  it("overlapping rule sets", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 1).effective_to = "2015-06-01";
    });
    expect(msg).toMatch(
      /mini-2010\.yaml: effective_to: overlapping effective dates: mini-2010 runs to 2015-06-01 but 'mini-criteria' starts 2015-01-01/,
    );
  });

  it("an open rule set that is not the last, and a closed last one", () => {
    const msgs = rejectLoad((b) => {
      rule(b, 1).effective_to = null;
      rule(b, 2).effective_to = "2030-01-01";
    });
    expect(msgs).toContainEqual(
      expect.stringMatching(/mini-2010\.yaml: effective_to: only the last rule set may be open/),
    );
    expect(msgs).toContainEqual(
      expect.stringMatching(/mini-criteria\.yaml: effective_to: the last rule set must be open/),
    );
  });

  it("a gap or overlap within a Talent List family", () => {
    const gap = rejectLoad((b) => {
      (b.lists[0] as Loose).effective_to = "2011-06-01";
    });
    expect(gap[0]).toMatch(
      /tl-2006\.yaml: effective_to: gap in effective dates: tl-2006 ends 2011-06-01 but the next 'talent_list' list 'tl-2012' starts 2012-01-01/,
    );
    const overlap = rejectLoad((b) => {
      (b.lists[0] as Loose).effective_to = "2013-01-01";
    });
    expect(overlap[0]).toMatch(/tl-2006\.yaml: effective_to: overlapping effective dates/);
  });

  it("a membership naming an unknown list family", () => {
    const [msg] = rejectLoad((b) => {
      rule(b, 0).factors[1].components[1].membership.list = "talent_lst";
    });
    expect(msg).toMatch(
      /mini-2006\.yaml: factors\.1\.components\.1\.membership\.list: unknown Talent List family 'talent_lst' \(known: talent_list\)/,
    );
  });

  it("duplicate ids: factors, prerequisites, criteria, rule sets, professions", () => {
    const msgs = rejectLoad((b) => {
      rule(b, 0).factors[2].id = "age";
      rule(b, 0).factors[2].max = 20;
      rule(b, 1).prerequisites[1].id = "age";
      rule(b, 2).criteria[1].id = "young";
      (b.lists[1] as Loose).professions.push({ key: "actuary", label: "again" });
    });
    expect(msgs).toContainEqual(expect.stringMatching(/mini-2006\.yaml: factors: duplicate factor id 'age'/));
    expect(msgs).toContainEqual(
      expect.stringMatching(/mini-2010\.yaml: prerequisites: duplicate prerequisite id 'age'/),
    );
    expect(msgs).toContainEqual(
      expect.stringMatching(/mini-criteria\.yaml: criteria: duplicate criterion id 'young'/),
    );
    expect(msgs).toContainEqual(
      expect.stringMatching(/tl-2012\.yaml: professions: duplicate profession key 'actuary'/),
    );
    const b = base();
    const again = errorsOf(() =>
      ruleBookFrom([...b.rules, { ...b.rules[1], effective_from: "2030-01-01" }], b.lists),
    );
    expect(again).toContainEqual(
      expect.stringMatching(/rule set #4: id: duplicate rule set id 'mini-2010' \(also in rule set #2\)/),
    );
  });

  it("a rule-set id that does not match its file name, a missing kind, bad YAML and a bad date", () => {
    const b = base();
    const dir = writeBook(b.rules, b.lists, {
      "rules/mini-extra.yaml": "id: [unclosed\n",
      "rules/mini-nokind.yaml": stringify({ ...b.rules[0], id: "mini-nokind", kind: undefined }),
    });
    writeFileSync(join(dir, "rules", "mini-2010.yaml"), stringify({ ...b.rules[1], id: "mini-2011" }));
    writeFileSync(
      join(dir, "talent-lists", "tl-2012.yaml"),
      stringify({ ...b.lists[1], effective_from: "2012-02-30" }),
    );
    const msgs = errorsOf(() => loadRuleBook(dir));
    expect(msgs).toContainEqual(expect.stringMatching(/mini-extra\.yaml: line \d+: YAML syntax/));
    expect(msgs).toContainEqual(
      expect.stringMatching(/mini-nokind\.yaml: kind: kind must be 'points' or 'criteria'/),
    );
    expect(msgs).toContainEqual(
      expect.stringMatching(/tl-2012\.yaml: effective_from: not a date YYYY-MM-DD/),
    );
    const idMismatch = errorsOf(() =>
      loadRuleBook(
        writeBook([{ ...b.rules[0] }, { ...b.rules[1] }, b.rules[2]!], b.lists, {
          "rules/mini-2010.yaml": stringify({ ...b.rules[1], id: "mini-2011" }),
        }),
      ),
    );
    expect(idMismatch).toContainEqual(
      expect.stringMatching(/mini-2010\.yaml: id: id 'mini-2011' must match the file name 'mini-2010'/),
    );
  });

  it("ruleBookFrom runs the same checks on in-memory rule sets", () => {
    const b = base();
    (b.rules[0] as Loose).factors[0].components[0].bands.bands[0].to = 45;
    const msgs = errorsOf(() =>
      ruleBookFrom(b.rules, b.lists, { ruleSets: ["scenario.yaml#rules.0", "b", "c"] }),
    );
    expect(msgs[0]).toMatch(
      /^scenario\.yaml#rules\.0: factors\.0\.components\.0\.bands\.bands\.1: overlapping bands/,
    );
  });
});

describe("RuleBook", () => {
  const book = loadRuleBook("data");

  it("has exactly one rule set in force on every day from 2006-06-28 to today", () => {
    const first = parseIsoDay("2006-06-28");
    const today = todayIsoDay();
    const ranges = book.ruleSets.map(
      (r) =>
        [
          parseIsoDay(r.effective_from),
          r.effective_to === null ? Number.POSITIVE_INFINITY : parseIsoDay(r.effective_to),
        ] as const,
    );
    let days = 0;
    for (let d = first; d <= today; d++) {
      const holding = ranges.filter(([from, to]) => d >= from && d < to).length;
      if (holding !== 1) throw new Error(`${formatIsoDay(d)}: ${holding} rule sets in force`);
      expect(book.inForce(d).effective_from <= formatIsoDay(d)).toBe(true);
      days++;
    }
    expect(days).toBe(today - first + 1);
    expect(book.inForce("2006-06-28").id).toBe("qmas-gpt-2006");
    expect(book.inForce(today).id).toBe(book.ruleSets.at(-1)!.id);
  });

  it("says clearly that nothing was in force on 2006-06-27", () => {
    expect(() => book.inForce("2006-06-27")).toThrow(InputError);
    expect(() => book.inForce(parseIsoDay("2006-06-27"))).toThrow(
      "no rule set in force on 2006-06-27: the scheme opened on 2006-06-28",
    );
  });

  it("switches rule set on the effective date, not a day early or late", () => {
    for (const rs of book.ruleSets.slice(1)) {
      const d = parseIsoDay(rs.effective_from);
      expect(book.inForce(d).id).toBe(rs.id);
      expect(book.inForce(d - 1).id).not.toBe(rs.id);
    }
  });

  it("finds the Talent List in force by date, and get() lists known ids", () => {
    expect(book.talentListInForce("talent_list", "2018-08-27")).toBeUndefined();
    expect(book.talentListInForce("talent_list", "2018-08-28")?.id).toBe("talent-list-2018");
    expect(book.isListed("talent_list", "2019-01-01", "actuary")).toBe(true);
    expect(book.isListed("talent_list", "2019-01-01", "")).toBe(false);
    expect(() => book.get("nope")).toThrow(/unknown rule set 'nope' \(known: qmas-gpt-2006, qmas-gpt-2008/);
  });
});
