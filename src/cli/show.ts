import type { Command } from "commander";
import { stringify } from "yaml";
import { changedParameters } from "../experiments/changes.js";
import { resolveScenario } from "../experiments/resolve.js";
import { timelineRows } from "../scenario/dated.js";
import { type Change, formatValue } from "../scenario/diff.js";
import type { ResolvedScenario } from "../scenario/extends.js";
import type { Scenario } from "../scenario/schema.js";
import { action } from "./common.js";

/**
 * `qmas-sim show SCENARIO`: the scenario as it will run (every default filled in, every override
 * applied) and each value that differs from the scenario it extends, like Tax-Calculator's --params
 * dump: two shows can be diffed, and a change can be copied back into a scenario file.
 */
export interface ShowResult {
  scenario: ResolvedScenario;
  /** the scenario it directly extends, or null for a full scenario */
  extends: string | null;
  changes: Change[];
}

export function showScenario(file: string, dataDir = "data"): ShowResult {
  const scenario = resolveScenario(file, { dataDir });
  const parentFile = scenario.chain[1];
  if (parentFile === undefined) return { scenario, extends: null, changes: [] };
  const parent = resolveScenario(parentFile, { dataDir });
  return { scenario, extends: parentFile, changes: changedParameters(parent, scenario, dataDir) };
}

export function showText(r: ShowResult): string {
  const s = r.scenario;
  const lines = [`scenario: ${s.name}`, `chain:    ${s.chain.join(" → ")}`];
  if (s.question) lines.push(`question: ${s.question.trim()}`);
  for (const src of s.sources) lines.push(`source:   ${src.about ? `${src.about}: ` : ""}${src.url}`);
  if (r.extends !== null) {
    lines.push("", `changes from ${r.extends} (path: there → here):`);
    if (r.changes.length === 0) lines.push("  (none)");
    for (const c of r.changes) lines.push(`  ${c.path}: ${formatValue(c.from)} → ${formatValue(c.to)}`);
  }
  const dated = timelineRows(s.scenario as unknown as Scenario);
  if (dated.length > 0) {
    lines.push("", "dated values (from each date on; a quarter takes the values in force on its last day):");
    for (const d of dated) lines.push(`  ${d.from}  ${d.key}: ${formatValue(d.value)}`);
  }
  lines.push("", "resolved scenario:", stringify(s.scenario, { lineWidth: 0 }).trimEnd());
  if (s.rules) lines.push("", "(rule sets and Talent Lists: as in data/, with the changes listed above)");
  return `${lines.join("\n")}\n`;
}

export function registerShow(program: Command): void {
  program
    .command("show")
    .description(
      "print a scenario as resolved (extends followed, overrides applied, defaults filled in) and every value that differs from the scenario it extends",
    )
    .argument("<scenario>", "scenario file")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      "\nExample:\n  $ npx qmas-sim show scenarios/quota-doubled.yaml\n  $ npx qmas-sim show scenarios/talent-list-healthcare.yaml --json",
    )
    .action(
      action((file: string, flags: { json?: boolean }) => {
        const r = showScenario(file);
        if (flags.json) {
          const out = {
            name: r.scenario.name,
            chain: r.scenario.chain,
            question: r.scenario.question,
            sources: r.scenario.sources,
            extends: r.extends,
            changes: r.changes.map((c) => ({ path: c.path, from: c.from ?? null, to: c.to ?? null })),
            overrides: r.scenario.overrides,
            scenario: r.scenario.scenario,
          };
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        process.stdout.write(showText(r));
      }),
    );
}
