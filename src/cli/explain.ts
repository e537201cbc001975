import type { Command } from "commander";
import { readApplicantCsv } from "../applicants/csv/index.js";
import { applicantAt, idOf } from "../applicants/pool.js";
import { explainApplicant } from "../rules/explain.js";
import { loadRuleBook } from "../rules/load.js";
import { unreachablePassMark } from "../rules/pass-mark.js";
import { action } from "./common.js";
import { parsePassMark } from "./score.js";
import { UsageError } from "./usage-error.js";

interface ExplainFlags {
  id: string;
  rules: string;
  allowExtraColumns?: boolean;
  passMark?: string;
  data: string;
}

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description(
      "Explain one applicant's score in plain language, with the smallest changes that would add points or pass",
    )
    .argument("<pool.csv>", "applicant CSV")
    .requiredOption("--id <id>", "the applicant's id")
    .option(
      "--rules <auto|id>",
      "'auto': the rule set in force on applied_on; or a rule-set id (with the Talent Lists of its own period)",
      "auto",
    )
    .option("--allow-extra-columns", "accept columns the applicant CSV contract does not define")
    .option("--pass-mark <points>", "override the points pass mark")
    .option("--data <dir>", "data folder holding rules/ and talent-lists/", "data")
    .addHelpText(
      "after",
      "\nExample:\n  $ npx qmas-sim explain data/samples/sample-pool.csv --id S0001 --rules qmas-gpt-2018",
    )
    .action(
      action(async (pool: string, flags: ExplainFlags) => {
        const book = loadRuleBook(flags.data);
        const forced = flags.rules === "auto" ? undefined : book.get(flags.rules);
        const passMark = parsePassMark(flags.passMark);
        const read = await readApplicantCsv(pool, { allowExtraColumns: flags.allowExtraColumns === true });
        let index = -1;
        for (let i = 0; i < read.pool.size && index < 0; i++) if (idOf(read.pool, i) === flags.id) index = i;
        if (index < 0) throw new UsageError(`${pool}: no applicant with id '${flags.id}'`);
        const applicant = applicantAt(read.pool, index);
        const ruleSet = forced ?? book.inForce(applicant.applied_on);
        if (passMark !== undefined) {
          const reason = unreachablePassMark(passMark, [ruleSet]);
          if (reason !== undefined) throw new UsageError(`--pass-mark ${reason}`);
        }
        const { lines } = explainApplicant(applicant, ruleSet, book, { passMark });
        process.stdout.write(`${lines.join("\n")}\n`);
      }),
    );
}
