import { basename, dirname, extname, isAbsolute, join, relative } from "node:path";
import type { z } from "zod";
import { parseIsoDay, quarterOfDay, quarterStartDay } from "../dates.js";
import { didYouMean } from "../did-you-mean.js";
import { ErrorList, ScenarioError } from "../errors.js";
import { LIMITS } from "../limits.js";
import { checkTimelineShape, documentAfter, getPath } from "./dated.js";
import { type Scenario, scenarioSchema } from "./schema.js";

/**
 * Validate a full scenario object (no `extends` left: the experiments module resolves those first)
 * and fill in every default. A relative `pool.csv` is taken relative to `file`'s folder and returned
 * relative to the working folder. Errors name the file, the dotted key path, the reason and, for an
 * unknown key, the closest valid key.
 */
export function validateScenario(raw: unknown, file: string): Scenario {
  const input = normaliseShorthands(raw);
  const result = scenarioSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    const errors = result.error.issues.flatMap((issue) => issueToErrors(issue, file));
    if (errors.length === 1) throw errors[0]!;
    throw new ErrorList(errors);
  }
  const s = result.data;
  const name = s.name ?? basename(file, extname(file));
  let period: Scenario["period"] = null;
  if (s.period) {
    const fromDay = parseIsoDay(s.period.from);
    const quarters =
      s.period.quarters ?? quarterOfDay(parseIsoDay(s.period.to as string)) - quarterOfDay(fromDay) + 1;
    if (quarters < 1) throw new ScenarioError(file, "period.to", "ends before 'from'", undefined);
    if (quarters > LIMITS.quarters)
      throw new ScenarioError(
        file,
        "period.to",
        `the period has ${quarters} quarters, above the limit of ${LIMITS.quarters} (${s.period.to})`,
      );
    period = { from: s.period.from, quarters };
    // Checked here, not when the first applicant is scored, so the error names the key to change.
    if (s.rules === "auto" && s.period.from < SCHEME_START) {
      throw new ScenarioError(
        file,
        "period.from",
        `starts before the scheme began (${SCHEME_START}): rules: auto has no rule set in force then; start on or after ${SCHEME_START}`,
      );
    }
  }
  const pool = { ...s.pool };
  if (pool.csv !== undefined && !isAbsolute(pool.csv)) {
    // Written relative to the scenario file; held relative to the working folder, so the manifest is
    // the same on every clone run from the repository root. (An absolute path is kept as it is.)
    pool.csv = relative(process.cwd(), join(dirname(file), pool.csv)) || ".";
  }
  if (s.quota.per_exercise === undefined && s.quota.per_year === undefined) {
    throw new ScenarioError(file, "quota", "missing per_year or per_exercise");
  }
  const changes = [...s.quota.changes].sort((a, b) => a.from.localeCompare(b.from));
  const timeline = validateTimeline(input as Record<string, unknown>, s.timeline, file, period);
  checkCommittee(s.committee, "committee", file);
  timeline.forEach((e, i) => {
    if ("committee" in e.set)
      checkCommittee(e.set["committee"] as Scenario["committee"], `timeline.${i}.set.committee`, file);
  });
  return { ...s, name, period, pool, quota: { ...s.quota, changes }, timeline };
}

/**
 * Check a scenario's dated values: order and keys first, then each entry's values against the
 * scenario schema as they would stand from its date (errors name `timeline[i].set.<key>`). Returns the
 * entries with their values as validated (defaults filled in, e.g. a committee's).
 */
function validateTimeline(
  document: Record<string, unknown>,
  timeline: Scenario["timeline"],
  file: string,
  period: Scenario["period"],
): Scenario["timeline"] {
  const periodDays = period
    ? {
        from: parseIsoDay(period.from),
        to: quarterStartDay(quarterOfDay(parseIsoDay(period.from)) + period.quarters) - 1,
      }
    : null;
  checkTimelineShape(timeline, file, periodDays);
  const csvPool = isRecord(document.pool) && document.pool.csv !== undefined;
  return timeline.map((entry, i) => {
    for (const key of ["pool.spec", "pool.arrivals_per_quarter", "pool.seasonal"])
      if (csvPool && key in entry.set)
        throw new ScenarioError(
          file,
          `timeline.${i}.set.${key}`,
          "a CSV pool has no generated arrivals to change",
        );
    const doc = documentAfter(document, timeline, i);
    const result = scenarioSchema.safeParse(normaliseShorthands(doc), { reportInput: true });
    if (!result.success) {
      const errors = result.error.issues.flatMap((issue) =>
        issueToErrors(issue, file).map((e) => {
          const key = Object.keys(entry.set).find((k) => e.path === k || e.path.startsWith(`${k}.`));
          return key === undefined
            ? e
            : new ScenarioError(file, `timeline.${i}.set.${e.path}`, e.reason, e.suggestion);
        }),
      );
      if (errors.length === 1) throw errors[0]!;
      throw new ErrorList(errors);
    }
    const parsed = result.data as unknown as Record<string, unknown>;
    const set: Record<string, unknown> = {};
    for (const key of Object.keys(entry.set)) set[key] = getPath(parsed, key);
    return { ...entry, set };
  });
}

/**
 * A committee's approval bands must be in order and must not overlap (a score in two bands would have
 * two probabilities), each with its lower end below its upper end; a standard and bands together
 * would be two answers to one question.
 */
function checkCommittee(committee: Scenario["committee"], at: string, file: string): void {
  if (!committee) return;
  if (committee.standard && committee.approval.length > 0)
    throw new ScenarioError(file, `${at}.approval`, "give either a standard or approval bands, not both");
  let previousTo: number | undefined;
  committee.approval.forEach((band, i) => {
    const where = `${at}.approval.${i}`;
    if (band.to !== undefined && band.to <= band.from)
      throw new ScenarioError(
        file,
        `${where}.to`,
        `${band.to} is not above 'from' (${band.from}): the band is empty or inverted`,
      );
    if (i > 0) {
      const prev = committee.approval[i - 1]!;
      if (band.from < prev.from)
        throw new ScenarioError(
          file,
          `${where}.from`,
          `${band.from} comes before the previous band's ${prev.from}: list bands from the lowest score`,
        );
      if (previousTo === undefined || band.from < previousTo)
        throw new ScenarioError(
          file,
          `${where}.from`,
          `overlaps the previous band (${prev.from}–${previousTo === undefined ? "no upper end" : previousTo})`,
        );
    }
    previousTo = band.to;
  });
}

/** The day QMAS opened: the first rule set is in force from it. */
const SCHEME_START = "2006-06-28";

/** `quota: unlimited` is shorthand for `quota: { per_year: unlimited }`. */
function normaliseShorthands(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  if (raw.quota === "unlimited" || raw.quota === null) return { ...raw, quota: { per_year: "unlimited" } };
  return raw;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function issueToErrors(issue: z.core.$ZodIssue, file: string): ScenarioError[] {
  const path = issue.path.map(String);
  const where = path.join(".");
  if (issue.code === "unrecognized_keys") {
    const valid = validKeysAt(path);
    return issue.keys.map((key) => {
      const suggestion = didYouMean(key, valid, "third");
      const reason = `unknown key${suggestion ? "" : valid.length ? ` (valid keys: ${valid.join(", ")})` : ""}`;
      return new ScenarioError(file, where === "" ? key : `${where}.${key}`, reason, suggestion);
    });
  }
  return [new ScenarioError(file, where, `${plainReason(issue)}${received(issue)}`)];
}

const TYPE_WORDS: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  object: "a map of keys",
  array: "a list",
  date: "a date",
  null: "nothing (null)",
};

/** A zod issue in the words the rest of the tool uses ("expected a number"), not zod's own. */
function plainReason(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "missing (required)";
      // YAML reads 1e309 as Infinity and .nan as NaN: numbers, but none a setting can have
      if (typeof issue.input === "number")
        return `expected a finite ${issue.expected === "int" ? "whole " : ""}number`;
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `expected ${String(issue.values[0])}`
        : `expected one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      return boundReason("at least", "more than", issue.minimum, issue.inclusive, issue.origin);
    case "too_big":
      return boundReason("at most", "less than", issue.maximum, issue.inclusive, issue.origin);
    case "invalid_union": {
      // each branch's own expectation at this path, e.g. "a whole number or unlimited"
      const wanted = new Set<string>();
      for (const branch of issue.errors) {
        const own = branch.find((b) => b.path.length === 0);
        if (own && (own.code === "invalid_type" || own.code === "invalid_value"))
          wanted.add(plainReason(own).replace(/^expected (one of )?/, ""));
      }
      return wanted.size > 0 ? `expected ${[...wanted].join(" or ")}` : "not a valid value";
    }
    case "invalid_format":
      return `expected the ${issue.format} format`;
    case "not_multiple_of":
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

function boundReason(
  inclusiveWord: string,
  exclusiveWord: string,
  bound: number | bigint,
  inclusive: boolean | undefined,
  origin: string,
): string {
  const n = Number(bound);
  if (origin === "array" || origin === "set")
    return `needs ${inclusive === false ? exclusiveWord : inclusiveWord} ${n} element(s)`;
  if (origin === "string")
    return n === 1 && inclusiveWord === "at least"
      ? "must not be empty"
      : `needs ${inclusiveWord} ${n} character(s)`;
  return `must be ${inclusive === false ? exclusiveWord : inclusiveWord} ${n}`;
}

/** " (value)" when zod reports what it received; nothing for a missing key. */
function received(issue: z.core.$ZodIssue): string {
  if (issue.input === undefined) return "";
  const text =
    typeof issue.input === "string" || typeof issue.input === "number"
      ? String(issue.input)
      : JSON.stringify(issue.input);
  if (text === undefined) return "";
  return ` (${text.length > 40 ? `${text.slice(0, 37)}...` : text === "" ? "empty" : text})`;
}

interface SchemaNode {
  def: {
    type: string;
    shape?: Record<string, SchemaNode>;
    innerType?: SchemaNode;
    in?: SchemaNode;
    options?: SchemaNode[];
    element?: SchemaNode;
    valueType?: SchemaNode;
  };
}

/** Walk the schema along a key path and list the keys an object there may have. */
export function validKeysAt(path: readonly string[]): string[] {
  let nodes: SchemaNode[] = [scenarioSchema as unknown as SchemaNode];
  for (const seg of path) {
    const next: SchemaNode[] = [];
    for (const n of nodes.flatMap(unwrap)) {
      if (n.def.type === "object" && n.def.shape?.[seg]) next.push(n.def.shape[seg]);
      else if (n.def.type === "array" && n.def.element && /^\d+$/.test(seg)) next.push(n.def.element);
      else if (n.def.type === "record" && n.def.valueType) next.push(n.def.valueType);
    }
    nodes = next;
  }
  const keys = new Set<string>();
  for (const n of nodes.flatMap(unwrap))
    if (n.def.type === "object") for (const k of Object.keys(n.def.shape ?? {})) keys.add(k);
  return [...keys];
}

function unwrap(n: SchemaNode): SchemaNode[] {
  const t = n.def.type;
  if ((t === "optional" || t === "nullable" || t === "default" || t === "prefault") && n.def.innerType)
    return unwrap(n.def.innerType);
  if (t === "pipe" && n.def.in) return unwrap(n.def.in);
  if (t === "union" && n.def.options) return n.def.options.flatMap(unwrap);
  return [n];
}
