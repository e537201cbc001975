import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ErrorList, InputError, type QmasError, ScenarioError } from "../../src/errors.js";
import { resolveScenario } from "../../src/experiments/resolve.js";
import { validateScenario } from "../../src/scenario/validate.js";

/** Scenario errors: every problem on its own line, in plain words with the value received. */
const base = {
  name: "x",
  seed: 1,
  period: { from: "2019-01-01", quarters: 2 },
  pool: { spec: "qmas-2021", arrivals_per_quarter: 10 },
  quota: { per_year: 100 },
};

function failure(fn: () => unknown): QmasError {
  try {
    fn();
  } catch (err) {
    return err as QmasError;
  }
  throw new Error("expected an error");
}

describe("scenario validation messages", () => {
  it("a scenario file that does not exist is named as such, in one line", () => {
    const missing = join(mkdtempSync(join(tmpdir(), "qmas-missing-")), "nosuch.yaml");
    expect(() => resolveScenario(missing)).toThrow(InputError);
    expect(() => resolveScenario(missing)).toThrow(/nosuch\.yaml: scenario file not found$/);
  });

  it("map zod issues to plain wording, one line per problem, with the value received", () => {
    const err = failure(() =>
      validateScenario(
        {
          ...base,
          pass_mark: "abc",
          exercises_per_year: 3,
          quota: { per_year: -1 },
          tie_break: ["foo"],
          bogus: 1,
        },
        "f.yaml",
      ),
    );
    expect(err).toBeInstanceOf(ErrorList);
    expect(err.format().split("\n").sort()).toEqual(
      [
        "f.yaml: pass_mark: expected a number (abc)",
        "f.yaml: exercises_per_year: expected 1 or 2 or 4 (3)",
        "f.yaml: quota.per_year: must be at least 0 (-1)",
        "f.yaml: tie_break.0: expected one of applied_on, id, lottery (foo)",
        expect.stringMatching(/^f\.yaml: bogus: unknown key \(valid keys: name, /),
      ].sort(),
    );
    expect(failure(() => validateScenario({ ...base, quota: { per_year: "lots" } }, "f.yaml")).format()).toBe(
      "f.yaml: quota.per_year: expected a number or unlimited (lots)",
    );
    expect(failure(() => validateScenario({ name: "y" }, "f.yaml")).format()).toBe(
      "f.yaml: pool: missing (required)\nf.yaml: quota: missing (required)",
    );
  });

  it("a period before the scheme began with rules: auto names period.from; a fixed rule set may still start then", () => {
    const err = failure(() =>
      validateScenario({ ...base, period: { from: "2006-06-27", quarters: 2 } }, "f.yaml"),
    );
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).path).toBe("period.from");
    expect(err.format()).toMatch(/^f\.yaml: period\.from: starts before the scheme began \(2006-06-28\)/);
    expect(
      validateScenario({ ...base, period: { from: "2006-06-28", quarters: 1 } }, "f.yaml").period,
    ).toEqual({ from: "2006-06-28", quarters: 1 });
    expect(
      validateScenario(
        { ...base, rules: "qmas-gpt-2006", period: { from: "2005-01-01", quarters: 1 } },
        "f.yaml",
      ).rules,
    ).toBe("qmas-gpt-2006");
  });
});

describe("reform errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "qmas-scenario-errors-"));
  writeFileSync(
    join(dir, "base.yaml"),
    "name: base\nseed: 1\nperiod: { from: '2019-01-01', quarters: 2 }\npool: { spec: qmas-2021, arrivals_per_quarter: 10 }\nquota: { per_year: 100 }\n",
  );

  it("every bad override path of a file is reported at once", () => {
    const file = join(dir, "bad-paths.yaml");
    writeFileSync(
      file,
      "extends: base.yaml\noverrides:\n  quota.per_yer: 5\n  pass_mark: 90\n  pol.arrivals_per_quarter: 3\n",
    );
    const err = failure(() => resolveScenario(file));
    expect(err).toBeInstanceOf(ErrorList);
    const lines = err.format().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /: overrides\.quota\.per_yer: override path does not exist: .*did you mean 'quota\.per_year'/,
    );
    expect(lines[1]).toMatch(/: overrides\.pol\.arrivals_per_quarter: override path does not exist: /);
  });

  it("validation after overrides lists every problem on its own line, not a count and the first", () => {
    const file = join(dir, "bad-values.yaml");
    writeFileSync(file, "extends: base.yaml\noverrides:\n  pass_mark: abc\n  exercises_per_year: 3\n");
    const err = failure(() => resolveScenario(file));
    expect(err.format()).not.toMatch(/error\(s\); first/);
    expect(err.format().split("\n").sort()).toEqual([
      expect.stringMatching(
        /bad-values\.yaml: exercises_per_year: after overrides: expected 1 or 2 or 4 \(3\)$/,
      ),
      expect.stringMatching(/bad-values\.yaml: pass_mark: after overrides: expected a number \(abc\)$/),
    ]);
  });
});
