import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registerExplain } from "../../src/cli/explain.js";
import { registerRules } from "../../src/cli/rules.js";
import { registerScore } from "../../src/cli/score.js";

const dir = mkdtempSync(join(tmpdir(), "qmas-cli-score-"));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run one qmas-sim command in-process, capturing stdout, stderr and the exit code. */
async function run(...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const program = new Command().exitOverride();
  program.configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerScore(program);
  registerExplain(program);
  registerRules(program);
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = 0;
  let code = 0;
  try {
    await program.parseAsync(["node", "qmas-sim", ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 99;
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = 0;
  }
  return { code, stdout, stderr };
}

afterEach(() => {
  process.exitCode = 0;
});

const HEADER =
  "id,applied_on,age,bachelor_degrees,master_degrees,years_experience,chinese,english,achievement";

function csv(name: string, rows: string[], header = HEADER): string {
  const path = join(dir, name);
  writeFileSync(path, `${header}\n${rows.join("\n")}\n`);
  return path;
}

// 2018 rule set: A = 30+20+15+20 = 85 ✓; B = 15+10+5+10 = 40 ✗; F = APT 225 ✓; D ties A on total, later date;
// E ties A on total and date, smaller id. 2008 rule set: H = 30 + 35 + 30 + 20 = 115 ✓.
const POOL = [
  "A,2019-03-01,30,1,1,5,true,true,none",
  "B,2019-03-01,46,1,0,2,false,true,none",
  "F,2019-06-01,33,0,0,0,false,true,award",
  "D,2019-04-01,30,1,1,5,true,true,none",
  "0E,2019-03-01,30,1,1,5,true,true,none",
  "H,2009-05-05,30,1,1,5,true,true,none",
];

describe("qmas-sim score", () => {
  it("writes the ranking to stdout in order, with a one-line summary on stderr", async () => {
    const r = await run("score", csv("pool.csv", POOL));
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "rank,id,applied_on,rule_set,route,eligible,total,passed,age,education,work,talent_list,language,family",
    );
    expect(lines.slice(1)).toEqual([
      "1,F,2019-06-01,qmas-gpt-2018,apt,true,225,true,,,,,,",
      "2,H,2009-05-05,qmas-gpt-2008,gpt,true,115,true,30,35,30,,20,0",
      "3,0E,2019-03-01,qmas-gpt-2018,gpt,true,85,true,30,20,15,0,20,0",
      "4,A,2019-03-01,qmas-gpt-2018,gpt,true,85,true,30,20,15,0,20,0",
      "5,D,2019-04-01,qmas-gpt-2018,gpt,true,85,true,30,20,15,0,20,0",
      "6,B,2019-03-01,qmas-gpt-2018,gpt,true,40,false,15,10,5,0,10,0",
    ]);
    expect(r.stderr).toBe(
      "score: 6 rows, 0 rejected, 6 scored, 5 passed (rule sets: qmas-gpt-2008, qmas-gpt-2018)\n",
    );
  });

  it("writes the same bytes to a file with -o, atomically (no temporary file left)", async () => {
    const toStdout = await run("score", csv("pool2.csv", POOL));
    const outDir = mkdtempSync(join(dir, "out-"));
    const file = join(outDir, "ranking.csv");
    const r = await run("score", join(dir, "pool2.csv"), "-o", file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(readFileSync(file, "utf8")).toBe(toStdout.stdout);
    expect(readdirSync(outDir)).toEqual(["ranking.csv"]);
  });

  it("quotes ids that need it, neutralises formulas and keeps non-ASCII ids", async () => {
    const pool = csv("odd-ids.csv", [
      "=cmd,2019-03-01,30,1,1,5,true,true,none",
      '"a,b",2019-03-02,30,1,1,5,true,true,none',
      '"q""x",2019-03-03,30,1,1,5,true,true,none',
      "é1,2019-03-04,30,1,1,5,true,true,none",
    ]);
    const r = await run("score", pool);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",2019-")[0]),
    ).toEqual(["1,'=cmd", '2,"a,b"', '3,"q""x"', "4,é1"]);
  });

  it("forces a rule set with --rules, and overrides the pass mark", async () => {
    const r = await run("score", csv("pool3.csv", POOL), "--rules", "qmas-gpt-2008", "--pass-mark", "120");
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","));
    expect(new Set(rows.map((c) => c[3]))).toEqual(new Set(["qmas-gpt-2008"]));
    expect(rows.filter((c) => c[7] === "true").map((c) => c[1])).toEqual(["F"]);
  });

  it("writes one column per criterion under the 2024 criteria, and empty cells where a factor does not apply", async () => {
    const r = await run(
      "score",
      csv("pool4.csv", ["K,2025-01-02,30,1,1,5,true,true,none", "A,2019-03-01,30,1,1,5,true,true,none"]),
    );
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split("\n");
    expect(header).toBe(
      "rank,id,applied_on,rule_set,route,eligible,total,passed,age,education,work,talent_list,language,family,c01,c02,c03,c04,c05,c06,c07,c08,c09,c10,c11,c12",
    );
    expect(rows).toContain(
      "2,K,2025-01-02,qmas-criteria-2024,criteria,true,4,false,,,,,,,1,0,0,1,1,1,0,0,0,0,0,0",
    );
  });

  it("stops with exit 2 and one line per bad row without --rejects; goes on with it", async () => {
    const bad = csv("bad.csv", [
      "A,2019-03-01,30,1,1,5,true,true,none",
      "X,2019-02-30,30,1,1,5,true,true,none",
      "Y,2019-03-01,abc,1,1,5,true,true,none",
    ]);
    const stop = await run("score", bad);
    expect(stop.code).toBe(2);
    expect(stop.stdout).toBe("");
    expect(stop.stderr).toContain(`${bad}:3: applied_on:`);
    expect(stop.stderr).toContain(`${bad}:4: age:`);
    const rejects = join(dir, "rejects.csv");
    const go = await run("score", bad, "--rejects", rejects);
    expect(go.code).toBe(0);
    expect(go.stdout.trimEnd().split("\n")).toHaveLength(2);
    expect(go.stderr).toBe(
      `score: 3 rows, 2 rejected (see ${rejects}), 1 scored, 1 passed (rule sets: qmas-gpt-2018)\n`,
    );
    expect(readFileSync(rejects, "utf8").trimEnd().split("\n")).toHaveLength(3);
  });

  it("refuses extra columns unless --allow-extra-columns", async () => {
    const extra = csv("extra.csv", ["A,2019-03-01,30,1,1,5,true,true,none,x"], `${HEADER},note`);
    expect((await run("score", extra)).code).toBe(2);
    const ok = await run("score", extra, "--allow-extra-columns");
    expect(ok.code).toBe(0);
    expect(ok.stdout.split("\n")[1]).toBe("1,A,2019-03-01,qmas-gpt-2018,gpt,true,85,true,30,20,15,0,20,0");
  });

  it("rejects a row dated before the scheme opened (kept in --rejects), and names an unknown rule set", async () => {
    const early = await run(
      "score",
      csv("early.csv", ["A,2019-03-01,30,1,1,5,true,true,none", "Z9,2006-06-27,30,1,0,0,true,false,none"]),
    );
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(
      /early\.csv:3: applied_on: before the scheme opened on 2006-06-28: no rule set was in force \(2006-06-27\)\n/,
    );
    const kept = await run(
      "score",
      join(dir, "early.csv"),
      "--rejects",
      join(dir, "early-rejects.csv"),
      "-o",
      join(dir, "early-ranking.csv"),
    );
    expect(kept.code).toBe(0);
    expect(readFileSync(join(dir, "early-rejects.csv"), "utf8")).toContain("Z9,2006-06-27");
    expect(readFileSync(join(dir, "early-ranking.csv"), "utf8").trim().split("\n")).toHaveLength(2);
    const unknown = await run("score", join(dir, "early.csv"), "--rules", "qmas-gpt-1999");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^unknown rule set 'qmas-gpt-1999' \(known: qmas-gpt-2006, .*qmas-criteria-2024\)\n$/,
    );
    const missing = await run("score", join(dir, "nope.csv"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.csv: file not found");
  });
});

describe("qmas-sim score: professions that look like misspelt Talent List keys", () => {
  it("warns once per profession with its rows and the key it probably means, and still scores every row", async () => {
    const header =
      "id,applied_on,age,bachelor_degrees,master_degrees,years_experience,chinese,english,achievement,profession";
    const rows = [
      "P1,2019-03-01,30,1,1,5,true,true,none,actuary",
      "P2,2019-03-01,30,1,1,5,true,true,none,Actuary",
      "P3,2019-03-01,30,1,1,5,true,true,none,fintech_profesional",
      "P4,2019-03-01,30,1,1,5,true,true,none,fintech_profesional",
      "P5,2019-03-01,30,1,1,5,true,true,none,primary_school_teacher",
      "P6,2019-03-01,30,1,1,5,true,true,none,",
    ];
    const path = csv("professions.csv", rows, header);
    const r = await run("score", path);
    expect(r.code).toBe(0);
    expect(r.stderr.split("\n").filter((l) => l.includes("warning"))).toEqual([
      `${path}: warning: profession 'fintech_profesional' (2 rows) is on no Talent List and earns no Talent List points; did you mean 'fintech_professional'?`,
      `${path}: warning: profession 'Actuary' (1 row) is on no Talent List and earns no Talent List points; did you mean 'actuary'?`,
    ]);
    // the listed actuary earns Talent List points (30), the misspelt one does not
    const talent = (id: string) =>
      r.stdout
        .split("\n")
        .find((l) => l.split(",")[1] === id)!
        .split(",")[11];
    expect([talent("P1"), talent("P2"), talent("P3")]).toEqual(["30", "0", "0"]);
    expect(r.stderr).toContain("6 rows, 0 rejected, 6 scored");
  });

  it("stays quiet for a file whose professions are all listed or empty", async () => {
    const r = await run("score", csv("pool-quiet.csv", POOL));
    expect(r.stderr).not.toContain("warning");
  });
});

describe("qmas-sim explain", () => {
  it("breaks one applicant's score down and hints at changes", async () => {
    const r = await run("explain", csv("explain.csv", POOL), "--id", "B");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Applicant B, applied 2019-03-01, assessed under qmas-gpt-2018");
    expect(r.stdout).toContain("  Age: 15 / 30 (45–50)");
    expect(r.stdout).toContain("Total: 40 / 225; pass mark 80 → NOT PASSED");
    expect(r.stdout).toContain("  - Chinese as well as English: +10\n");
    expect(r.stdout).toContain("  - 3 more years of experience: +10\n");
    expect(r.stdout).toMatch(/would pass with .* → 80/);
  });

  it("uses a forced rule set, and fails clearly on an unknown id", async () => {
    const forced = await run(
      "explain",
      join(dir, "explain.csv"),
      "--id",
      "A",
      "--rules",
      "qmas-criteria-2024",
    );
    expect(forced.stdout).toContain("Criteria met: 4 of 12; needed 6 → NOT PASSED");
    const missing = await run("explain", join(dir, "explain.csv"), "--id", "nobody");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`${join(dir, "explain.csv")}: no applicant with id 'nobody'\n`);
  });
});

describe("a forced rule set's own Talent List, through the CLI", () => {
  const header = "id,applied_on,age,master_degrees,years_experience,chinese,english,profession";
  const rows = ["X,2010-05-01,35,1,6,true,true,actuary", "Z,2019-03-01,35,1,6,true,true,actuary"];

  it("score --rules scores the 2010 actuary with the 2018 list and says so on stderr", async () => {
    const r = await run("score", csv("forced-list.csv", rows, header), "--rules", "qmas-gpt-2018");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("X,2010-05-01,qmas-gpt-2018,gpt,true,115,true,30,20,15,30,20,0\n");
    expect(r.stderr.split("\n")[0]).toBe(
      "score: 1 application dated before qmas-gpt-2018's period uses talent-list-2018 (in force on its first day, 2018-08-28)",
    );
  });

  it("explain --rules names the list and why", async () => {
    const r = await run("explain", join(dir, "forced-list.csv"), "--id", "X", "--rules", "qmas-gpt-2018");
    expect(r.stdout.split("\n")[1]).toBe(
      "Talent List: talent-list-2018 (in force on 2018-08-28, the first day of qmas-gpt-2018, because the application is dated 2010-05-01, before the rule set's period)",
    );
    const auto = await run("explain", join(dir, "forced-list.csv"), "--id", "X");
    expect(auto.stdout).toContain("assessed under qmas-gpt-2008");
    expect(auto.stdout).not.toContain("Talent List");
  });
});

describe("qmas-sim rules", () => {
  it("lists every rule set with dates, maximum and pass rule", async () => {
    const r = await run("rules", "list");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^id\s+kind\s+from\s+to\s+max\s+pass$/);
    expect(lines).toHaveLength(7);
    expect(lines[4]).toMatch(/^qmas-gpt-2018\s+points\s+2018-08-28\s+2023-01-01\s+225\s+>= 80 points$/);
    expect(lines[6]).toMatch(
      /^qmas-criteria-2024\s+criteria\s+2024-11-01\s+\(open\)\s+12\s+>= 6 of 12 criteria$/,
    );
  });

  it("shows the effective table, or JSON", async () => {
    const text = await run("rules", "show", "qmas-gpt-2018");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("maximum 225 points; pass mark 80");
    expect(text.stdout).toMatch(/bands on age:\n\s+30 {2}18–/);
    expect(text.stdout).toContain("Sources:");
    const json = await run("rules", "show", "qmas-criteria-2024", "--json");
    const parsed = JSON.parse(json.stdout) as { id: string; criteria: unknown[] };
    expect(parsed.id).toBe("qmas-criteria-2024");
    expect(parsed.criteria).toHaveLength(12);
    const unknown = await run("rules", "show", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^unknown rule set 'nope'/);
  });

  it("every command's --help shows an example", async () => {
    for (const args of [["score"], ["explain"], ["rules"], ["rules", "list"], ["rules", "show"]]) {
      const r = await run(...args, "--help");
      expect(r.stdout, args.join(" ")).toContain("Example:\n  $ npx qmas-sim ");
    }
  });
});
