import {
  APPLICANT_COLUMNS,
  type Applicant,
  BOOLEAN_FIELDS,
  type BooleanField,
  NUMERIC_FIELDS,
  type NumericField,
} from "../applicants/record.js";
import type { RuleBook } from "./book.js";
import { describeListChoices, type ListChoice, listChoices, listDay } from "./list-day.js";
import { type ScoreOptions, scoreApplicant } from "./score.js";
import type { Condition, RuleSet, ScoreResult } from "./types.js";

/**
 * A plain-language breakdown of one applicant's score, and hints: the smallest single changes that
 * add points (or meet more criteria), fix a failed prerequisite, or make the applicant pass. Hints
 * are found by trying candidate values (the thresholds of every band, rung and comparison the rule
 * set mentions) and rescoring, so they are exactly what the scorer would give.
 */

export interface Hint {
  /** e.g. "2 more years of experience" */
  change: string;
  /** the changed fields */
  set: Partial<Applicant>;
  /** points (or criteria) gained */
  gain: number;
  total: number;
  eligible: boolean;
  passed: boolean;
}

export interface Explanation {
  result: ScoreResult;
  lines: string[];
  /** single changes, most useful first */
  hints: Hint[];
  /** pairs of changes that together make a failing applicant pass (when no single change does) */
  passWith: Hint[];
  /** the Talent List of each family the rule set scores, and the day it was looked up on */
  talentLists: ListChoice[];
}

const INTEGER = new Set<string>(APPLICANT_COLUMNS.filter((c) => c.type === "integer").map((c) => c.name));
const NUMERIC = new Set<string>(NUMERIC_FIELDS);
const BOOLEAN = new Set<string>(BOOLEAN_FIELDS);
/** Parts of work experience: raising one above years_experience raises years_experience too. */
const PART_OF_EXPERIENCE = new Set([
  "years_senior",
  "years_international",
  "years_multinational",
  "years_specified_industry",
]);
/** Changes that are not the applicant's to make or that switch to another test. */
const NOT_HINTED = new Set(["achievement", "sex", "region", "sector"]);

function forEachLeaf(c: Condition, fn: (leaf: Condition & { field: string }) => void): void {
  if ("field" in c) fn(c);
  else if ("not" in c) forEachLeaf(c.not, fn);
  else for (const x of "all" in c ? c.all : "any" in c ? c.any : c.of) forEachLeaf(x, fn);
}

function conditionsOf(rs: RuleSet): Condition[] {
  const out = rs.prerequisites.map((p) => p.when);
  if (rs.kind === "criteria") out.push(...rs.criteria.map((c) => c.when));
  else {
    for (const f of rs.factors) {
      for (const c of f.components) {
        if ("ladder" in c) out.push(...c.ladder.map((r) => r.when));
        else if ("bonus" in c) out.push(c.bonus.when);
      }
    }
  }
  return out;
}

/** Candidate values above the current one for each numeric field the rule set mentions. */
function numericTargets(rs: RuleSet): Map<NumericField, Set<number>> {
  const targets = new Map<NumericField, Set<number>>();
  const add = (field: string, v: number) => {
    if (!NUMERIC.has(field) || NOT_HINTED.has(field)) return;
    const set = targets.get(field as NumericField) ?? new Set<number>();
    set.add(v);
    targets.set(field as NumericField, set);
  };
  for (const c of conditionsOf(rs)) {
    forEachLeaf(c, (leaf) => {
      if ("gte" in leaf) add(leaf.field, leaf.gte);
      else if ("gt" in leaf)
        add(
          leaf.field,
          INTEGER.has(leaf.field) ? Math.floor(leaf.gt) + 1 : Math.round((leaf.gt + 0.1) * 10) / 10,
        );
      else if ("eq" in leaf) add(leaf.field, leaf.eq);
      else if ("lte" in leaf) add(leaf.field, leaf.lte);
      else if ("lt" in leaf)
        add(leaf.field, INTEGER.has(leaf.field) ? Math.ceil(leaf.lt) - 1 : leaf.lt - 0.1);
    });
  }
  if (rs.kind === "points") {
    for (const f of rs.factors) {
      for (const c of f.components) {
        if ("bands" in c) for (const b of c.bands.bands) add(c.bands.field, b.from);
        if ("per_unit" in c) for (let u = 1; u <= (c.per_unit.max_units ?? 3); u++) add(c.per_unit.field, u);
      }
    }
  }
  return targets;
}

function booleanTargets(rs: RuleSet): Set<BooleanField> {
  const out = new Set<BooleanField>();
  for (const c of conditionsOf(rs)) {
    forEachLeaf(c, (leaf) => {
      if ("is" in leaf && BOOLEAN.has(leaf.field)) out.add(leaf.field as BooleanField);
    });
  }
  return out;
}

const YEARS_TEXT: Partial<Record<NumericField, string>> = {
  years_experience: "of experience",
  years_senior: "in a senior role",
  years_international: "of international experience",
  years_multinational: "in multinational companies or renowned enterprises",
  years_specified_industry: "in the specified industries",
};

const DEGREE_TEXT: Partial<Record<NumericField, [string, string]>> = {
  bachelor_degrees: ["a bachelor's degree", "bachelor's degrees"],
  master_degrees: ["a master's degree", "master's degrees"],
  doctoral_degrees: ["a doctoral degree", "doctoral degrees"],
  other_languages: ["a foreign language", "foreign languages"],
  children_under_18: ["an accompanying child under 18", "accompanying children under 18"],
};

const BOOLEAN_TEXT: Record<BooleanField, string> = {
  professional_qualification: "a recognised professional qualification",
  renowned_institution: "a degree from a renowned institution",
  eligible_university_postgrad: "a postgraduate degree from an eligible university",
  stem_postgrad: "a STEM postgraduate degree",
  chinese: "good Chinese",
  english: "good English",
  hk_permanent_family: "an immediate family member who is a Hong Kong permanent resident",
  spouse_accompanying: "your spouse coming along",
  spouse_degree: "an accompanying spouse with a degree",
  financial_means: "proof of financial means",
  good_character: "a clean criminal and immigration record",
};

function number(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString("en-US") : String(Math.round(v * 100) / 100);
}

function describeNumeric(field: NumericField, from: number, to: number): string {
  const delta = to - from;
  const years = YEARS_TEXT[field];
  if (years) return `${number(delta)} more year${delta === 1 ? "" : "s"} ${years}`;
  const degree = DEGREE_TEXT[field];
  if (degree) {
    if (delta === 1) return from === 0 ? degree[0] : `another ${degree[0].replace(/^an? /, "")}`;
    return `${number(delta)} more ${degree[1]}`;
  }
  if (field === "age") return `at age ${to}`;
  if (field === "annual_income_hkd") return `an income of HK$${number(to)} a year`;
  if (field === "business_profit_hkd") return `a business profit of HK$${number(to)} a year`;
  if (field === "listed_company_stake") return `a ${number(to * 100)}% stake in a listed company`;
  return `${field} ${number(to)}`;
}

function describeBoolean(field: BooleanField, a: Applicant): string {
  if (field === "english" && a.chinese) return "English as well as Chinese";
  if (field === "chinese" && a.english) return "Chinese as well as English";
  return BOOLEAN_TEXT[field];
}

/** Single-field changes worth trying for this applicant. */
function candidates(
  a: Applicant,
  rs: RuleSet,
  book: RuleBook,
): { change: string; set: Partial<Applicant>; field: string; size: number }[] {
  const out: { change: string; set: Partial<Applicant>; field: string; size: number }[] = [];
  for (const [field, values] of numericTargets(rs)) {
    const current = a[field];
    const max = APPLICANT_COLUMNS.find((c) => c.name === field)?.max ?? Number.POSITIVE_INFINITY;
    for (const v of [...values].sort((x, y) => x - y)) {
      if (v <= current || v > max) continue;
      const set: Partial<Applicant> = { [field]: v };
      if (PART_OF_EXPERIENCE.has(field) && v > a.years_experience) set.years_experience = v;
      const change =
        set.years_experience !== undefined && field !== "years_experience"
          ? `${describeNumeric(field, current, v)} (${number(v)} years of experience in all)`
          : describeNumeric(field, current, v);
      out.push({ change, set, field, size: v - current });
    }
  }
  for (const field of booleanTargets(rs)) {
    if (a[field]) continue;
    const set: Partial<Applicant> = { [field]: true };
    if (field === "spouse_degree") set.spouse_accompanying = true;
    out.push({ change: describeBoolean(field, a), set, field, size: 1 });
  }
  if (rs.kind === "points") {
    const listsOn = listDay(rs, a.applied_on);
    for (const f of rs.factors) {
      for (const c of f.components) {
        if (!("membership" in c) || book.isListed(c.membership.list, listsOn, a.profession)) continue;
        const list = book.talentListInForce(c.membership.list, listsOn);
        const example = list?.professions[0];
        if (list && example)
          out.push({
            change: `a profession on ${list.id} (e.g. ${example.key})`,
            set: { profession: example.key },
            field: "profession",
            size: 1,
          });
      }
    }
  }
  return out;
}

function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

function hintText(h: Hint, rs: RuleSet, before: ScoreResult): string {
  const unit =
    rs.kind === "criteria" && before.route === "criteria"
      ? Math.abs(h.gain) === 1
        ? " criterion"
        : " criteria"
      : "";
  const parts = [h.gain === 0 ? h.change : `${h.change}: ${signed(h.gain)}${unit}`];
  if (!before.eligible && h.eligible) parts.push("meets the prerequisites");
  if (!before.passed && h.passed)
    parts.push(
      `would pass with ${h.total}${rs.kind === "points" ? ` ≥ ${before.passMark}` : ` of ${before.passMark} needed`}`,
    );
  return parts.join("; ");
}

export function explainApplicant(
  a: Applicant,
  rs: RuleSet,
  book: RuleBook,
  opts?: ScoreOptions,
): Explanation {
  const result = scoreApplicant(a, rs, book, opts);
  const lines: string[] = [];
  const to = rs.effective_to === null ? "today" : rs.effective_to;
  lines.push(
    `Applicant ${a.id}, applied ${a.applied_on}, assessed under ${rs.id}: ${rs.title} (in force ${rs.effective_from} to ${to})`,
  );
  lines.push(...describeListChoices(book, rs, a.applied_on));
  if (result.failedPrerequisites.length === 0) lines.push("Prerequisites: all met.");
  else {
    lines.push("Prerequisites NOT met (the application is refused whatever the score):");
    for (const p of result.failedPrerequisites) lines.push(`  ✗ ${p.label} [${p.id}]`);
  }
  if (result.route === "apt") {
    lines.push(`Route: ${rs.apt.label}.`);
    lines.push(
      result.eligible
        ? `  Scores the maximum, ${rs.max_total}, because every prerequisite is met.`
        : "  Scores 0 because a prerequisite is not met.",
    );
  } else if (result.route === "criteria" && rs.kind === "criteria") {
    lines.push("Route: criteria (each criterion met counts 1):");
    rs.criteria.forEach((c, k) => {
      const met = result.factors[k]!.points === 1;
      lines.push(`  ${met ? "✓" : "✗"} ${c.label} [${c.id}]${c.official ? "" : " (unofficial source)"}`);
    });
  } else {
    lines.push("Route: General Points Test.");
    for (const f of result.factors) {
      const why = f.matched.length > 0 ? f.matched.join("; ") : "nothing matched";
      lines.push(`  ${f.label}: ${f.points} / ${f.max} (${why})`);
    }
  }
  const verdict = result.passed ? "PASSED" : "NOT PASSED";
  if (rs.kind === "criteria" && result.route === "criteria") {
    lines.push(
      `Criteria met: ${result.total} of ${rs.criteria.length}; needed ${result.passMark} → ${verdict}${result.eligible ? "" : " (prerequisites not met)"}`,
    );
  } else if (result.route === "apt") {
    lines.push(`Total: ${result.total} / ${result.max} → ${verdict}`);
  } else {
    lines.push(
      `Total: ${result.total} / ${result.max}; pass mark ${result.passMark} → ${verdict}${result.eligible ? "" : " (prerequisites not met)"}`,
    );
  }

  const tried = candidates(a, rs, book).map((c) => {
    const r = scoreApplicant({ ...a, ...c.set }, rs, book, opts);
    const gain = result.route === "apt" && r.route === "apt" ? 0 : r.total - result.total;
    return {
      ...c,
      hint: { change: c.change, set: c.set, gain, total: r.total, eligible: r.eligible, passed: r.passed },
    };
  });
  // per field, keep the smallest change for each new level of gain, and anything that fixes eligibility or passing
  const hints: Hint[] = [];
  const bestGain = new Map<string, number>();
  const fixed = new Set<string>();
  for (const t of tried.sort((x, y) => x.size - y.size)) {
    const h = t.hint;
    let keep = false;
    if (h.gain > (bestGain.get(t.field) ?? 0)) {
      bestGain.set(t.field, h.gain);
      keep = true;
    }
    const fixes = (!result.eligible && h.eligible) || (!result.passed && h.passed);
    if (fixes && !fixed.has(t.field)) {
      fixed.add(t.field);
      keep = true;
    }
    if (keep) hints.push(h);
  }
  hints.sort(
    (x, y) =>
      Number(y.passed) - Number(x.passed) || Number(y.eligible) - Number(x.eligible) || y.gain - x.gain,
  );

  const passWith: Hint[] = [];
  if (!result.passed && result.route !== "apt" && !hints.some((h) => h.passed)) {
    const useful = tried.filter((t) => t.hint.gain > 0 || t.hint.eligible !== result.eligible);
    const sizes: { fields: string; x: number; y: number }[] = [];
    for (let i = 0; i < useful.length; i++) {
      for (let j = i + 1; j < useful.length; j++) {
        const x = useful[i]!;
        const y = useful[j]!;
        if (x.field === y.field) continue;
        const set = { ...x.set, ...y.set };
        const r = scoreApplicant({ ...a, ...set }, rs, book, opts);
        if (r.passed) {
          // in field order, so that (a, b) and (b, a) compare
          const [p, q] = x.field < y.field ? [x, y] : [y, x];
          sizes.push({ fields: `${p.field} ${q.field}`, x: p.size, y: q.size });
          passWith.push({
            change: `${x.change} and ${y.change}`,
            set,
            gain: r.total - result.total,
            total: r.total,
            eligible: true,
            passed: true,
          });
        }
      }
    }
    // A pair is worth suggesting only when neither change could be smaller: drop it when the same two
    // fields with no larger changes (and one smaller) also pass, or when it repeats one in the other order.
    const minimal = passWith.filter((_, k) => {
      const me = sizes[k]!;
      return !sizes.some(
        (o, m) =>
          m !== k &&
          o.fields === me.fields &&
          o.x <= me.x &&
          o.y <= me.y &&
          (o.x < me.x || o.y < me.y || m < k),
      );
    });
    passWith.length = 0;
    passWith.push(...minimal.sort((x, y) => x.gain - y.gain).slice(0, 3));
  }

  if (hints.length > 0 || passWith.length > 0) lines.push("Hints (one change at a time):");
  for (const h of hints) lines.push(`  - ${hintText(h, rs, result)}`);
  for (const h of passWith) lines.push(`  - would pass with ${h.change}: ${signed(h.gain)} → ${h.total}`);
  if (!result.passed && hints.length === 0 && passWith.length === 0)
    lines.push("No single change or pair of changes found that would make this applicant pass.");
  return { result, lines, hints, passWith, talentLists: listChoices(book, rs, a.applied_on) };
}
