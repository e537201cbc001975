import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/errors.js";
import type { RuleSet, TalentList } from "../../src/rules/types.js";
import { diffValues } from "../../src/scenario/diff.js";
import { type ReformBase, readScenarioChain, resolveScenarioFile } from "../../src/scenario/extends.js";
import { getAtPath, parsePath, setAtPath } from "../../src/scenario/overrides.js";

const ruleSet = {
  id: "gpt",
  kind: "points",
  pass: { min_total: 80 },
  factors: [
    {
      id: "age",
      components: [
        {
          bands: {
            field: "age",
            bands: [
              { from: 18, to: 40, points: 30 },
              { from: 40, points: 20 },
            ],
          },
        },
      ],
    },
    { id: "language", components: [] },
  ],
} as unknown as RuleSet;
const list = {
  id: "talent-list-2018",
  list: "talent_list",
  professions: [{ key: "actuary", label: "Actuary" }],
} as unknown as TalentList;

/** A stand-in for the scenario schema and the rule book: fills one default and rejects negative quotas. */
const base: ReformBase = {
  parseScenario(document, file) {
    const d = structuredClone(document) as Record<string, unknown>;
    const quota = d["quota"] as { per_year: number };
    if (quota.per_year < 0) throw new ScenarioError(file, "quota.per_year", "must be >= 0");
    return { pass_mark: null, ...d };
  },
  loadRules: () => ({ ruleSets: [ruleSet], talentLists: [list] }),
  validateRules(ruleSets) {
    for (const rs of ruleSets)
      if ((rs as { pass: { min_total: number } }).pass.min_total > 300)
        throw new ScenarioError("gpt.yaml", "pass.min_total", "above the maximum");
  },
  loadSpec: () => ({ shares: { it: 0.5, finance: 0.5 } }),
  applySpecOverrides: (spec, overrides) => {
    const out = structuredClone(spec);
    for (const [p, v] of Object.entries(overrides)) setAtPath(out, p, v);
    return out;
  },
};

let dir: string;
function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "qmas-reform-"));
  write("baseline.yaml", "name: baseline\nseed: 1\nquota:\n  per_year: 1000\n");
});

describe("override paths", () => {
  const tree = { rules: [ruleSet] };
  it("parses keys, indices and names", () => {
    expect(parsePath("rules.gpt.factors[age].components[0].bands[1].points")).toEqual([
      { kind: "key", name: "rules" },
      { kind: "key", name: "gpt" },
      { kind: "key", name: "factors" },
      { kind: "key", name: "age" },
      { kind: "key", name: "components" },
      { kind: "index", index: 0 },
      { kind: "key", name: "bands" },
      { kind: "index", index: 1 },
      { kind: "key", name: "points" },
    ]);
    expect(() => parsePath("a..b")).toThrow(SyntaxError);
    expect(() => parsePath("a[0")).toThrow(SyntaxError);
  });

  it("selects list elements by id", () => {
    expect(getAtPath(tree, "rules.gpt.factors.age.components[0].bands[1].points")).toBe(20);
  });
});

describe("extends chains", () => {
  it("follow extends relative to each file and end at a full scenario", () => {
    mkdirSync(join(dir, "sub"));
    write("sub/a.yaml", "extends: ../baseline.yaml\nquestion: A?\noverrides:\n  quota.per_year: 2000\n");
    const b = write("b.yaml", "extends: sub/a.yaml\nquestion: B?\noverrides:\n  pass_mark: 100\n");
    expect(readScenarioChain(b).map((l) => l.file)).toEqual([
      b,
      join(dir, "sub/a.yaml"),
      join(dir, "baseline.yaml"),
    ]);
    const r = resolveScenarioFile(b, base);
    expect(r.name).toBe("b");
    expect(r.question).toBe("B?");
    expect(r.scenario).toMatchObject({
      name: "b",
      quota: { per_year: 2000 },
      pass_mark: 100,
      description: "B?",
    });
    expect(r.overrides.map((o) => o.path)).toEqual(["quota.per_year", "pass_mark"]);
    expect(r.rules).toBeNull();
  });

  it("report a cycle with the whole chain", () => {
    write("x.yaml", "extends: y.yaml\n");
    write("y.yaml", "extends: x.yaml\n");
    expect(() => readScenarioChain(join(dir, "x.yaml"))).toThrow(
      /extends cycle: .*x\.yaml → .*y\.yaml → .*x\.yaml/,
    );
  });

  it("name the file that points at a missing scenario", () => {
    const f = write("lost.yaml", "extends: nowhere.yaml\n");
    expect(() => readScenarioChain(f)).toThrow(/lost\.yaml: extends: file not found: .*nowhere\.yaml/);
  });
});

describe("overrides", () => {
  it("name the file, the path and the closest valid key when a path does not exist", () => {
    const f = write("typo.yaml", "extends: baseline.yaml\noverrides:\n  quota.per_yaer: 2000\n");
    let caught: unknown;
    try {
      resolveScenarioFile(f, base);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ScenarioError);
    expect((caught as ScenarioError).message).toMatch(
      /typo\.yaml: overrides\.quota\.per_yaer: override path does not exist: 'quota' has no key 'per_yaer' \(did you mean 'quota\.per_year'\?\)/,
    );
  });

  it("suggest the closest factor id inside a rule set", () => {
    const f = write(
      "r.yaml",
      "extends: baseline.yaml\noverrides:\n  rules.gpt.factors.aeg.components[0].bands[1].points: 25\n",
    );
    expect(() => resolveScenarioFile(f, base)).toThrow(/did you mean 'rules\.gpt\.factors\.age'/);
  });

  it("change a band of a rule set and leave the loaded rules untouched", () => {
    const f = write(
      "r.yaml",
      "extends: baseline.yaml\noverrides:\n  rules.gpt.factors.age.components[0].bands[1].points: 25\n",
    );
    const r = resolveScenarioFile(f, base);
    expect(getAtPath(r.rules!.ruleSets, "gpt.factors.age.components[0].bands[1].points")).toBe(25);
    expect(getAtPath([ruleSet], "gpt.factors.age.components[0].bands[1].points")).toBe(20);
  });

  it("add and remove Talent List professions", () => {
    const f = write(
      "t.yaml",
      "extends: baseline.yaml\noverrides:\n  talent_lists.talent-list-2018.add: [doctor, {key: nurse, label: Registered nurse}]\n",
    );
    const r = resolveScenarioFile(f, base);
    expect(r.rules!.talentLists[0]!.professions.map((p) => p.key)).toEqual(["actuary", "doctor", "nurse"]);
    const g = write(
      "g.yaml",
      "extends: t.yaml\noverrides:\n  talent_lists.talent-list-2018.remove: [actuary]\n",
    );
    expect(resolveScenarioFile(g, base).rules!.talentLists[0]!.professions.map((p) => p.key)).toEqual([
      "doctor",
      "nurse",
    ]);
    const bad = write(
      "bad.yaml",
      "extends: baseline.yaml\noverrides:\n  talent_lists.talent-list-2018.remove: [actuari]\n",
    );
    expect(() => resolveScenarioFile(bad, base)).toThrow(
      /'actuari' is not on talent-list-2018 \(did you mean 'actuary'\?\)/,
    );
  });

  it("re-validate: an invalid value is reported against the reform file", () => {
    const f = write("neg.yaml", "extends: baseline.yaml\noverrides:\n  quota.per_year: -5\n");
    expect(() => resolveScenarioFile(f, base)).toThrow(
      /neg\.yaml: quota\.per_year: after overrides: must be >= 0/,
    );
    const g = write("hi.yaml", "extends: baseline.yaml\noverrides:\n  rules.gpt.pass.min_total: 400\n");
    expect(() => resolveScenarioFile(g, base)).toThrow(
      /hi\.yaml: overrides: rule book invalid after overrides/,
    );
  });

  it("send spec paths to the spec and reject unknown reform keys", () => {
    const f = write("s.yaml", "extends: baseline.yaml\noverrides:\n  spec.shares.it: 0.6\n");
    expect(resolveScenarioFile(f, base).spec).toEqual({ shares: { it: 0.6, finance: 0.5 } });
    const g = write("k.yaml", "extends: baseline.yaml\noverride:\n  pass_mark: 1\n");
    expect(() => resolveScenarioFile(g, base)).toThrow(
      /k\.yaml: override: unknown key .*did you mean 'overrides'/,
    );
  });
});

describe("diff", () => {
  it("lists changed leaves with override-style paths", () => {
    const a = { quota: { per_year: 1000 }, rules: [ruleSet], lists: [list] };
    const b = structuredClone(a);
    b.quota.per_year = 2000;
    setAtPath(b, "rules.gpt.factors.age.components[0].bands[0].points", 35);
    b.lists[0]!.professions.push({ key: "doctor", label: "doctor" });
    expect(diffValues(a, b)).toEqual([
      { path: "quota.per_year", from: 1000, to: 2000 },
      { path: "rules.gpt.factors.age.components[0].bands.bands[0].points", from: 30, to: 35 },
      {
        path: "lists.talent-list-2018.professions.doctor",
        from: undefined,
        to: { key: "doctor", label: "doctor" },
      },
    ]);
    expect(diffValues(a, structuredClone(a))).toEqual([]);
  });
});
