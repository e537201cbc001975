import type { Command } from "commander";
import { formatRuleSet } from "../rules/format.js";
import { loadRuleBook } from "../rules/load.js";
import { action } from "./common.js";

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function registerRules(program: Command): void {
  const rules = program
    .command("rules")
    .description("List the rule sets, or show one as a readable table")
    .addHelpText(
      "after",
      "\nExample:\n  $ npx qmas-sim rules list\n  $ npx qmas-sim rules show qmas-gpt-2018",
    );

  rules
    .command("list")
    .description("Every rule set: id, kind, in force from/to, maximum, pass rule")
    .option("--data <dir>", "data folder holding rules/ and talent-lists/", "data")
    .addHelpText("after", "\nExample:\n  $ npx qmas-sim rules list")
    .action(
      action((flags: { data: string }) => {
        const book = loadRuleBook(flags.data);
        const rows = [["id", "kind", "from", "to", "max", "pass"]];
        for (const rs of book.ruleSets) {
          rows.push([
            rs.id,
            rs.kind,
            rs.effective_from,
            rs.effective_to ?? "(open)",
            String(rs.max_total),
            rs.kind === "points"
              ? `>= ${rs.pass.min_total} points`
              : `>= ${rs.pass.min_criteria} of ${rs.criteria.length} criteria`,
          ]);
        }
        process.stdout.write(`${table(rows)}\n`);
      }),
    );

  rules
    .command("show")
    .description(
      "The effective table of one rule set: factors with bands/rungs/points, prerequisites, APT, sources, notes",
    )
    .argument("<id>", "rule-set id (see `qmas-sim rules list`)")
    .option("--json", "print the validated rule set as JSON")
    .option("--data <dir>", "data folder holding rules/ and talent-lists/", "data")
    .addHelpText(
      "after",
      "\nExample:\n  $ npx qmas-sim rules show qmas-gpt-2018\n  $ npx qmas-sim rules show qmas-criteria-2024 --json > reports/criteria.json",
    )
    .action(
      action((id: string, flags: { json?: boolean; data: string }) => {
        const rs = loadRuleBook(flags.data).get(id);
        process.stdout.write(
          flags.json ? `${JSON.stringify(rs, null, 2)}\n` : `${formatRuleSet(rs).join("\n")}\n`,
        );
      }),
    );
}
