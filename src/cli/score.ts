import type { Command } from "commander";
import { readApplicantCsv } from "../applicants/csv/index.js";
import { scorePool } from "../rules/batch.js";
import { forcedListNote } from "../rules/list-day.js";
import { loadRuleBook } from "../rules/load.js";
import { unreachablePassMark } from "../rules/pass-mark.js";
import { professionNearMisses, professionWarnings } from "../rules/professions.js";
import { rankOrder } from "../rules/rank.js";
import { writeRankingCsv } from "../rules/ranking-csv.js";
import { action, checkCommandPaths } from "./common.js";
import { UsageError } from "./usage-error.js";

interface ScoreFlags {
  rules: string;
  out?: string;
  rejects?: string;
  allowExtraColumns?: boolean;
  passMark?: string;
  data: string;
}

export function parsePassMark(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--pass-mark must be a whole number ≥ 0 (got '${text}')`);
  return Number(text);
}

/** `qmas-sim score pool.csv | head` closes stdout early: that is not an error. */
let pipeWatched = false;
function stopQuietlyWhenPipeCloses(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
}

export function registerScore(program: Command): void {
  program
    .command("score")
    .description(
      "Score every applicant of a pool under the rule set in force (or a forced one) and write a ranking CSV",
    )
    .argument("<pool.csv>", "applicant CSV (see docs/applicant-csv.md)")
    .option(
      "--rules <auto|id>",
      "'auto': the rule set in force on each applied_on; or a rule-set id for everyone (with the Talent " +
        "Lists of its own period for applications dated outside it)",
      "auto",
    )
    .option("-o, --out <file>", "write the ranking here (atomically) instead of stdout")
    .option(
      "--rejects <file>",
      "write bad rows here with the reason and go on (otherwise any bad row stops the run, exit 2)",
    )
    .option("--allow-extra-columns", "accept columns the applicant CSV contract does not define")
    .option("--pass-mark <points>", "override the points pass mark (points rule sets only)")
    .option("--data <dir>", "data folder holding rules/ and talent-lists/", "data")
    .addHelpText(
      "after",
      "\nColumns: rank,id,applied_on,rule_set,route,eligible,total,passed, then one per factor or criterion.\n" +
        "Order: passed first, then total descending, then applied_on, then id.\n" +
        "\nExample:\n  $ npx qmas-sim score data/samples/sample-pool.csv --rules auto -o reports/ranking.csv --rejects reports/rejects.csv",
    )
    .action(
      action(async (pool: string, flags: ScoreFlags) => {
        checkCommandPaths(
          { "-o output": flags.out, "--rejects file": flags.rejects },
          { "input pool": pool },
        );
        const book = loadRuleBook(flags.data);
        const forced = flags.rules === "auto" ? undefined : book.get(flags.rules);
        const passMark = parsePassMark(flags.passMark);
        const read = await readApplicantCsv(pool, {
          rejectsFile: flags.rejects,
          allowExtraColumns: flags.allowExtraColumns === true,
        });
        if (read.rowsRead === 0) process.stderr.write(`${pool}: warning: no applicant rows, only a header\n`);
        for (const line of professionWarnings(pool, professionNearMisses(read.pool, book)))
          process.stderr.write(`${line}\n`);
        const scores = scorePool(read.pool, book, { rules: flags.rules, passMark });
        if (passMark !== undefined) {
          const reason = unreachablePassMark(
            passMark,
            scores.ruleSetIds.map((id) => book.get(id)),
          );
          if (reason !== undefined) throw new UsageError(`--pass-mark ${reason}`);
        }
        const order = rankOrder(read.pool, scores);
        if (!flags.out) stopQuietlyWhenPipeCloses();
        await writeRankingCsv(read.pool, scores, order, flags.out ?? process.stdout);
        const note = forced && forcedListNote(book, forced, read.pool.columns.applied_on);
        if (note) process.stderr.write(`${note}\n`);
        let passed = 0;
        for (let i = 0; i < scores.size; i++) passed += scores.passed[i]!;
        const used = scores.ruleSetIds.length > 0 ? scores.ruleSetIds.join(", ") : "none";
        process.stderr.write(
          `score: ${read.rowsRead} rows, ${read.rejected} rejected${flags.rejects && read.rejected > 0 ? ` (see ${flags.rejects})` : ""}, ${scores.size} scored, ${passed} passed (rule sets: ${used})\n`,
        );
      }),
    );
}
