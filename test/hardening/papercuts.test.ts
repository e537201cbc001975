import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readApplicantCsv, writeApplicantCsv } from "../../src/applicants/csv/index.js";
import { generatePool, loadDistributionSpec } from "../../src/applicants/generate/index.js";
import { applicantAt } from "../../src/applicants/pool.js";
import { explainApplicant } from "../../src/rules/explain.js";
import { loadRuleBook } from "../../src/rules/load.js";
import { scoreApplicant } from "../../src/rules/score.js";
import { cli, ensureBuilt } from "./cli.js";

beforeAll(ensureBuilt);

const COMMANDS = [
  "run",
  "show",
  "compare",
  "sweep",
  "rerun",
  "generate",
  "score",
  "explain",
  "rules",
  "merge",
  "validate",
];

describe("new-user papercuts", () => {
  it("every --help example names files that exist and writes only under reports/", () => {
    for (const command of COMMANDS) {
      const help = cli([command, "--help"]).out;
      const examples = help.split("\n").filter((l) => l.trim().startsWith("$ "));
      expect(examples.length, command).toBeGreaterThan(0);
      for (const example of examples) {
        // a user copies these after `npm ci`, where the command is not on PATH
        expect(example.trim().startsWith("$ npx qmas-sim "), example).toBe(true);
        const words = example.trim().split(/\s+/);
        words.forEach((word, k) => {
          const flag = words[k - 1] ?? "";
          if (["-o", "--out", "--rejects", ">"].includes(flag)) {
            expect(word.startsWith("reports/") || word.startsWith("/tmp/"), `${example}: ${word}`).toBe(true);
          } else if (/^(data|scenarios)\//.test(word)) {
            expect(existsSync(word), `${example}: ${word}`).toBe(true);
          }
        });
      }
    }
  });

  it("outputs written to the repository root are ignored by git", () => {
    const r = spawnSync(
      "git",
      ["check-ignore", "ranking.csv", "rejects.csv", "pool-2021.csv", "criteria.json"],
      {
        encoding: "utf8",
      },
    );
    if (r.error) return; // no git
    expect(r.stdout.trim().split("\n")).toEqual([
      "ranking.csv",
      "rejects.csv",
      "pool-2021.csv",
      "criteria.json",
    ]);
  });

  it("run's summary says what a cutoff counts and which population a median wait is over", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmas-summary-"));
    const points = cli(["run", "scenarios/baseline.yaml", "--out", join(dir, "b")]);
    expect(points.code).toBe(0);
    const report = readFileSync(join(dir, "b", "summary.md"), "utf8");
    const allotted = /Median wait of the allotted \(days\) \| (\d+)/.exec(report)![1];
    expect(points.out).toMatch(/median cutoff {5}\d+ \(lowest GPT score allotted, median over 4 exercises\)/);
    expect(points.out).toMatch(
      new RegExp(
        `median wait {7}\\d+ days from application to decision, all decided applications \\(${allotted} for the allotted\\)`,
      ),
    );
    const criteria = cli(["run", "scenarios/criteria-2024-panel.yaml", "--out", join(dir, "c")]);
    expect(criteria.code).toBe(0);
    expect(criteria.out).toMatch(/median cutoff {5}\d+ \(fewest criteria met among the allotted, /);
  });

  it("the test suite's temporary folders live under one folder that is removed at the end", () => {
    expect(tmpdir()).toMatch(/qmas-test-/);
  });

  it("explain never suggests a pair of changes where a smaller change would do", async () => {
    const book = loadRuleBook("data");
    const spec = loadDistributionSpec("qmas-2021");
    const pool = generatePool(spec, { count: 300, seed: "explain-minimal" });
    const file = join(mkdtempSync(join(tmpdir(), "qmas-explain-")), "pool.csv");
    await writeApplicantCsv(pool, file);
    const read = (await readApplicantCsv(file)).pool;
    const rs = book.get("qmas-gpt-2018");
    const opts = { passMark: 150 };
    let pairs = 0;
    for (let i = 0; i < read.size; i++) {
      const a = applicantAt(read, i);
      for (const hint of explainApplicant(a, rs, book, opts).passWith) {
        pairs++;
        for (const [field, to] of Object.entries(hint.set)) {
          const from = a[field as keyof typeof a];
          if (typeof to !== "number" || typeof from !== "number" || field === "years_experience") continue;
          for (let smaller = from + 0.5; smaller < to; smaller += 0.5) {
            const set = { ...hint.set, [field]: smaller };
            if ("years_experience" in hint.set) set.years_experience = Math.max(a.years_experience, smaller);
            expect(scoreApplicant({ ...a, ...set }, rs, book, opts).passed, `${a.id}: ${hint.change}`).toBe(
              false,
            );
          }
        }
      }
    }
    expect(pairs).toBeGreaterThan(100);
  });
});
