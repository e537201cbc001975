import { percent } from "../report/html/chances.js";
import type { ApplicantChances, Target } from "./applicant.js";
import { type ChancesForecast, curveAt } from "./forecast.js";
import type { Estimate } from "./probability.js";

/** How a refused application that applies again is modelled (see docs/chances.md). */
export function reapplyLine(f: ChancesForecast): string {
  const again = "A refused application applies again in the next exercise with the same score";
  if (!f.committee) return `${again}: a further exercise helps only where the last one had no room for it.`;
  if (f.options.reapply === "fresh")
    return `${again}, and the committee judges it afresh each time (an upper bound).`;
  if (!f.latentVerdicts) return `${again}; the committee's approval bands draw a new verdict each time.`;
  return `${again} and is judged the same way (its latent quality is kept): a further exercise helps only when there was no room for it, or the standard changed.`;
}

export function estimateText(e: Estimate): string {
  return `${percent(e.p)} (95 % CI ${percent(e.low)}–${percent(e.high)})`;
}

function tableName(f: ChancesForecast): string {
  const rs = f.ruleSet;
  return rs.kind === "points"
    ? `${rs.id} (General Points Test: pass mark ${f.passMark}, maximum ${rs.max_total})`
    : `${rs.id} (criteria: ${f.passMark} of ${rs.max_total} needed)`;
}

export function selectionLine(f: ChancesForecast): string {
  return f.committee
    ? "Selection is not by score alone: the Assessment Committee approves each case with a probability that rises with the score, so no score is certain."
    : "Selection is by score alone (no committee): a place depends on the ranking and the quota.";
}

export function forecastLines(f: ChancesForecast): string[] {
  const K = f.options.exercises;
  const lines = [
    `An application made on ${f.options.from}, scored on ${tableName(f)}; ${f.options.replications} replications of ${f.scenarioName}.`,
    selectionLine(f),
    ...(K > 1 ? [reapplyLine(f)] : []),
    ...f.notes,
    "",
    `${"score".padEnd(7)}${"within 1 exercise".padEnd(30)}${K > 1 ? `within ${K} exercises` : ""}`.trimEnd(),
  ];
  const max = f.ruleSet.max_total;
  const step = max > 20 ? 20 : 1;
  const scores = new Set<number>([f.passMark]);
  for (let s = Math.ceil(f.passMark / step) * step; s <= max; s += step) scores.add(s);
  scores.add(max);
  for (const s of [...scores].sort((a, b) => a - b)) {
    const one = curveAt(f, f.route, s, 1)!;
    const all = curveAt(f, f.route, s, K)!;
    lines.push(
      `${String(s).padEnd(7)}${estimateText(one).padEnd(30)}${K > 1 ? estimateText(all) : ""}`.trimEnd(),
    );
  }
  const apt = curveAt(f, "apt", max, 1)!;
  lines.push(
    `${"APT".padEnd(7)}${estimateText(apt).padEnd(30)}${K > 1 ? estimateText(curveAt(f, "apt", max, K)!) : ""}`,
  );
  const median = f.cutoffs.filter((c) => c.quantile === 0.5);
  if (median.length > 0) {
    lines.push("", "Lowest score allotted (median, 5–95 % of replications):");
    for (const m of median) {
      const lo = f.cutoffs.find((c) => c.exercise === m.exercise && c.quantile === 0.05)!;
      const hi = f.cutoffs.find((c) => c.exercise === m.exercise && c.quantile === 0.95)!;
      lines.push(
        `  exercise ${m.exercise} (${m.quarter}): ${m.cutoff === null ? "none allotted" : `${round(m.cutoff)} (${round(lo.cutoff)}–${round(hi.cutoff)})`}`,
      );
    }
    if (f.committee)
      lines.push("  With a committee this is not a threshold: cases above it are refused too.");
  }
  return lines;
}

function round(v: number | null): string {
  return v === null ? "–" : String(Math.round(v * 10) / 10);
}

function targetText(t: Target, unit: string): string {
  const within = `within ${t.k} exercise${t.k === 1 ? "" : "s"}`;
  if (t.score === null)
    return `${percent(t.level)} ${within}: not reachable on this table (its best, ${t.best.score} ${unit}, gives ${percent(t.best.p)})`;
  if (t.gain === 0) return `${percent(t.level)} ${within}: reached already (from ${t.score} ${unit})`;
  const how =
    t.hints.length > 0
      ? `, e.g. ${t.hints.map((h) => h.change).join("; or ")}`
      : t.combined
        ? `, e.g. ${t.combined.changes.join(", and ")} (${t.combined.total} together)`
        : " (explain's changes together do not add that much)";
  return `${percent(t.level)} ${within}: ${t.score} ${unit}, ${t.gain} more${how}`;
}

export function applicantLines(a: ApplicantChances, f: ChancesForecast): string[] {
  const unit = f.ruleSet.kind === "points" ? "points" : "criteria";
  const lines = [
    ...a.explanation.lines,
    "",
    `Chances as an application made on ${f.options.from} (${f.scenarioName}, ${f.options.replications} replications, sector ${a.sector}):`,
  ];
  lines.push(`  ${selectionLine(f)}`);
  if (!a.passes)
    lines.push("  It would be refused at assessment (prerequisites or pass mark): 0 % in every exercise.");
  for (const c of a.chances)
    lines.push(`  within ${c.k} exercise${c.k === 1 ? "" : "s"}: ${estimateText(c)}`);
  if (a.afresh)
    lines.push(
      `  (were each re-application judged afresh, an upper bound: within ${f.options.exercises} exercises ${estimateText(a.afresh)})`,
    );
  if (a.targets.length > 0) {
    lines.push("  To reach:");
    for (const t of a.targets) lines.push(`    ${targetText(t, unit)}`);
  }
  if (a.ahead) {
    const places = a.ahead.places === null ? "no quota" : `${Math.round(a.ahead.places)} places`;
    lines.push(
      `  Ranked ahead in its first exercise (mean): ${Math.round(a.ahead.ranked)} candidates, ${Math.round(a.ahead.approved)} of them allotted (${places}).`,
    );
  }
  return lines;
}
