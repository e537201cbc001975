import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { coreCount, LIMITS } from "../../src/limits.js";
import { cli, ensureBuilt, FIXTURES } from "./cli.js";

beforeAll(ensureBuilt);

const out = () => join(mkdtempSync(join(tmpdir(), "qmas-limits-")), "out");
const fixture = (name: string) => `${FIXTURES}/${name}`;
const line = (r: { err: string }) => r.err.trim();

describe("limits: refused at validation, one line naming the key or flag and the limit", () => {
  it("scenario keys: arrivals, infinite numbers, quarters reached through `to`, applications per run", () => {
    const cases: [string, string][] = [
      [
        "scenario-arrivals-huge.yaml",
        "pool.arrivals_per_quarter: after overrides: must be at most 10000000 (1000000000000)",
      ],
      [
        "scenario-arrivals-infinite.yaml",
        "pool.arrivals_per_quarter: after overrides: expected a finite number (Infinity)",
      ],
      [
        "scenario-period-too-long.yaml",
        "period.to: after overrides: the period has 721 quarters, above the limit of 400 (2199-01-01)",
      ],
      [
        "scenario-too-many-applications.yaml",
        "pool.arrivals_per_quarter: about 360,000,000 applications over 40 quarters, above the limit of 50,000,000 applications per run",
      ],
    ];
    for (const [file, message] of cases) {
      const r = cli(["run", fixture(file), "--out", out(), "--quiet"]);
      expect(r.code, file).toBe(2);
      expect(line(r), file).toBe(`${fixture(file)}: ${message}`);
    }
  });

  it("a memory estimate above the budget is refused before the run, naming --max-memory", () => {
    const r = cli(["run", fixture("scenario-memory-heavy.yaml"), "--out", out(), "--max-memory", "2000"]);
    expect(r.code).toBe(2);
    expect(line(r)).toBe(
      "run memory-heavy: needs an estimated 4.7 GB of memory (about 45,000,000 applications per run), above the limit of 2.0 GB (--max-memory); make it smaller, or add --max-memory 4650 to run anyway",
    );
  });

  it("generate --count, --replications and sweep cells have limits; --jobs is capped at the cores with a note", () => {
    const g = cli(["generate", "--spec", "qmas-2021", "--count", "99999999999999", "--seed", "1"]);
    expect(g.code).toBe(2);
    expect(g.err.trim()).toBe(
      "--count 99,999,999,999,999 is above the limit of 50,000,000 applicants (generate several pools with --start-index to go further)",
    );
    const n = cli(["run", "scenarios/baseline.yaml", "-n", "10000000", "--out", out()]);
    expect(n.code).toBe(2);
    expect(n.err.trim()).toBe("--replications 10,000,000 is above the limit of 100,000");
    const values = Array.from({ length: 40 }, (_, i) => i + 1).join(",");
    const s = cli([
      "sweep",
      "scenarios/baseline.yaml",
      "--vary",
      `quota.per_year=${values}`,
      "--vary",
      `pass_mark=${values}`,
      "--out",
      out(),
    ]);
    expect(s.code).toBe(2);
    expect(s.err.trim()).toBe("--vary: 40 × 40 = 1,600 cells, above the limit of 1,000 cells per sweep");
    const j = cli(["run", "scenarios/baseline.yaml", "-n", "2", "--jobs", "1000", "--out", out(), "--quiet"]);
    expect(j.code).toBe(0);
    expect(j.err).toContain(
      `note: --jobs 1,000 capped at ${coreCount()}, the number of cores (results are the same for any value)`,
    );
  });

  it("YAML: an alias bomb and an oversized file are clean errors naming the file", () => {
    const bomb = cli(["run", fixture("yaml-alias-bomb.yaml"), "--out", out()]);
    expect(bomb.code).toBe(2);
    expect(line(bomb)).toBe(
      'test/fixtures/bad-inputs/yaml-alias-bomb.yaml: (top level): more than 100 alias expansions (*name): refused as a possible resource exhaustion ("alias bomb")',
    );
    const big = join(mkdtempSync(join(tmpdir(), "qmas-bigyaml-")), "big.yaml");
    writeFileSync(big, `# ${"x".repeat(LIMITS.yamlBytes)}\n`);
    const r = cli(["run", big, "--out", out()]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`above the limit of 4,194,304 bytes for a YAML file`);
  });
});
