import type { Provenance } from "./models.js";

/** Escape text so Markdown shows it literally (inline text and table cells). */
export function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}

export function mdTable(headers: string[], rows: string[][], numericFrom = 1): string {
  const align = headers.map((_h, i) => (i >= numericFrom ? "---:" : "---"));
  const line = (cells: string[]) => `| ${cells.map(mdEscape).join(" | ")} |`;
  return [line(headers), `| ${align.join(" | ")} |`, ...rows.map(line)].join("\n");
}

export function mdProvenance(p: Provenance): string {
  const lines = [
    `- Seed: \`${String(p.seed)}\``,
    `- Package version: qmas-sim ${mdEscape(p.packageVersion)}`,
    `- Replications: ${p.replications ?? 1}`,
  ];
  if (p.scenarioHash) lines.push(`- Scenario hash: \`${p.scenarioHash}\``);
  if (p.period) lines.push(`- Period: ${mdEscape(p.period)}`);
  for (const rs of p.ruleSets) {
    const urls = rs.sources.map((s) => `<${s.url.replace(/[<>\s]/g, "")}>`).join(", ");
    lines.push(
      `- Rule set \`${rs.id}\` (${mdEscape(rs.title)}, ${rs.effectiveFrom} → ${rs.effectiveTo ?? "open"})${urls ? `: ${urls}` : ""}`,
    );
  }
  return lines.join("\n");
}
