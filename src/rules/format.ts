import type { Component, Condition, RuleSet } from "./types.js";

/** Rule sets as readable text (for `qmas-sim rules show` and explanations). */

export function formatCondition(c: Condition, nested = false): string {
  if ("field" in c) {
    if ("is" in c) return c.is ? c.field : `not ${c.field}`;
    if ("in" in c) return `${c.field} in [${c.in.join(", ")}]`;
    if ("not_in" in c) return `${c.field} not in [${c.not_in.join(", ")}]`;
    if ("gte" in c) return `${c.field} ≥ ${c.gte}`;
    if ("gt" in c) return `${c.field} > ${c.gt}`;
    if ("lte" in c) return `${c.field} ≤ ${c.lte}`;
    if ("lt" in c) return `${c.field} < ${c.lt}`;
    return `${c.field} = ${c.eq}`;
  }
  let text: string;
  if ("not" in c) text = `not ${formatCondition(c.not, true)}`;
  else if ("all" in c) text = c.all.map((x) => formatCondition(x, true)).join(" and ");
  else if ("any" in c) text = c.any.map((x) => formatCondition(x, true)).join(" or ");
  else return `at least ${c.at_least} of {${c.of.map((x) => formatCondition(x)).join("; ")}}`;
  const several = ("all" in c && c.all.length > 1) || ("any" in c && c.any.length > 1);
  return nested && several ? `(${text})` : text;
}

function formatComponent(c: Component): string[] {
  if ("bands" in c) {
    const f = c.bands.field;
    return [
      `bands on ${f}:`,
      ...c.bands.bands.map(
        (b) =>
          `  ${String(b.points).padStart(3)}  ${b.label}  (${b.to === undefined ? `${f} ≥ ${b.from}` : `${b.from} ≤ ${f} < ${b.to}`})`,
      ),
    ];
  }
  if ("ladder" in c) {
    return [
      "ladder (the first rung that holds scores):",
      ...c.ladder.map((r) => `  ${String(r.points).padStart(3)}  ${r.label}  (${formatCondition(r.when)})`),
    ];
  }
  if ("bonus" in c) return [`bonus +${c.bonus.points}: ${c.bonus.label}  (${formatCondition(c.bonus.when)})`];
  if ("per_unit" in c) {
    const u = c.per_unit;
    const cap = u.max_units === undefined ? "" : `, at most ${u.max_units} units`;
    return [`+${u.points} per unit of ${u.field}${cap}: ${u.label}`];
  }
  const m = c.membership;
  return [`+${m.points} when ${m.field} is on the '${m.list}' list in force on applied_on: ${m.label}`];
}

/** The effective table of a rule set, as lines of text. */
export function formatRuleSet(rs: RuleSet): string[] {
  const lines: string[] = [];
  const to = rs.effective_to === null ? "open (still in force)" : `${rs.effective_to} (exclusive)`;
  lines.push(`${rs.id}: ${rs.title}`);
  lines.push(`kind ${rs.kind}; in force from ${rs.effective_from} to ${to}`);
  lines.push(
    rs.kind === "points"
      ? `maximum ${rs.max_total} points; pass mark ${rs.pass.min_total}`
      : `${rs.criteria.length} criteria; pass with at least ${rs.pass.min_criteria}`,
  );
  lines.push("", "Prerequisites (all must hold; each failed one is named):");
  for (const p of rs.prerequisites) lines.push(`  - [${p.id}] ${p.label}  (${formatCondition(p.when)})`);
  lines.push("", `APT route: ${rs.apt.label}`);
  lines.push(
    `  when ${formatCondition(rs.apt.when)}: scores ${rs.max_total} if the prerequisites hold, else 0`,
  );
  if (rs.kind === "points") {
    lines.push("", "Factors (each capped at its maximum):");
    for (const f of rs.factors) {
      lines.push(`  ${f.id}: ${f.label} (max ${f.max})`);
      for (const c of f.components) for (const l of formatComponent(c)) lines.push(`    ${l}`);
    }
  } else {
    lines.push("", "Criteria (each met counts 1):");
    for (const c of rs.criteria) {
      lines.push(
        `  [${c.id}] ${c.label}  (${formatCondition(c.when)})${c.official ? "" : "  [unofficial source]"}${c.note ? ` — ${c.note}` : ""}`,
      );
    }
  }
  if (rs.notes && rs.notes.length > 0) {
    lines.push("", "Notes:");
    for (const n of rs.notes) lines.push(`  - ${n}`);
  }
  lines.push("", "Sources:");
  for (const s of rs.sources)
    lines.push(`  - ${s.about}: ${s.url}${s.confidence ? ` [${s.confidence}]` : ""}`);
  return lines;
}
