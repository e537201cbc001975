import { type ApplicantPool, idOf } from "../applicants/pool.js";
import { formatIsoDay } from "../dates.js";
import { UsageError } from "../errors.js";
import { type RuleBook, rangeIndex } from "./book.js";
import { codeTable, compileCondition, type Predicate } from "./conditions.js";
import { passMarkOf } from "./score.js";
import type { Band, Component, PoolScores, RuleSet, TalentList } from "./types.js";

/**
 * Scores a whole pool column by column. Each rule set is compiled once per pool into closures over the
 * typed columns; applicants are grouped by "segment" (a stretch of days with one rule set and one list
 * per Talent List family) so that the hot loop touches only typed arrays: no per-applicant objects, no
 * per-applicant string work. Must agree exactly with scoreApplicant (a property test checks this).
 */

export interface ScorePoolOptions {
  /** "auto" (default): the rule set in force on each applied_on; or a rule-set id for everyone */
  rules?: "auto" | string;
  /** overrides the points pass mark */
  passMark?: number;
}

const ROUTE_GPT = 0;
const ROUTE_APT = 1;
const ROUTE_CRITERIA = 2;

type PointsFn = (i: number) => number;

/** Where a membership component reads the list in force for the segment being scored. */
interface ListSlot {
  family: string;
  table: Uint8Array;
}

interface CompiledRuleSet {
  rs: RuleSet;
  prerequisites: Predicate[];
  apt: Predicate;
  passMark: number;
  /** points: factors; criteria: one "factor" per criterion scoring 1/0 */
  factors: { column: Int16Array; max: number; parts: PointsFn[] }[];
  slots: ListSlot[];
}

function bandsFn(field: keyof ApplicantPool["columns"], bands: Band[], pool: ApplicantPool): PointsFn {
  const col = pool.columns[field] as ArrayLike<number>;
  const pointsAt = (v: number): number => {
    for (const b of bands) if (v >= b.from && (b.to === undefined || v < b.to)) return b.points;
    return 0;
  };
  if (col instanceof Uint8Array) {
    // every possible value of a byte column, looked up once
    const lut = new Int16Array(256);
    for (let v = 0; v < 256; v++) lut[v] = pointsAt(v);
    return (i) => lut[col[i]!]!;
  }
  const from = Float64Array.from(bands, (b) => b.from);
  const to = Float64Array.from(bands, (b) => b.to ?? Number.POSITIVE_INFINITY);
  const pts = Int16Array.from(bands, (b) => b.points);
  const n = bands.length;
  return (i) => {
    const v = col[i]!;
    for (let k = 0; k < n; k++) if (v >= from[k]! && v < to[k]!) return pts[k]!;
    return 0;
  };
}

function componentFn(c: Component, pool: ApplicantPool, slots: ListSlot[]): PointsFn {
  if ("bands" in c) return bandsFn(c.bands.field, c.bands.bands, pool);
  if ("ladder" in c) {
    const preds = c.ladder.map((r) => compileCondition(r.when, pool));
    const pts = c.ladder.map((r) => r.points);
    const n = preds.length;
    return (i) => {
      for (let k = 0; k < n; k++) if (preds[k]!(i)) return pts[k]!;
      return 0;
    };
  }
  if ("bonus" in c) {
    const p = compileCondition(c.bonus.when, pool);
    const pts = c.bonus.points;
    return (i) => (p(i) ? pts : 0);
  }
  if ("per_unit" in c) {
    const col = pool.columns[c.per_unit.field] as ArrayLike<number>;
    const cap = c.per_unit.max_units ?? Number.POSITIVE_INFINITY;
    const pts = c.per_unit.points;
    return (i) => {
      const units = Math.floor(Math.min(col[i]!, cap));
      return units > 0 ? units * pts : 0;
    };
  }
  const slot: ListSlot = { family: c.membership.list, table: new Uint8Array(0) };
  slots.push(slot);
  const col = pool.columns.profession;
  const pts = c.membership.points;
  return (i) => (slot.table[col[i]!] === 1 ? pts : 0);
}

function compileRuleSet(rs: RuleSet, pool: ApplicantPool, columnOf: (id: string) => Int16Array, opts: ScorePoolOptions): CompiledRuleSet {
  const slots: ListSlot[] = [];
  const factors =
    rs.kind === "points"
      ? rs.factors.map((f) => ({ column: columnOf(f.id), max: f.max, parts: f.components.map((c) => componentFn(c, pool, slots)) }))
      : rs.criteria.map((c) => {
          const p = compileCondition(c.when, pool);
          return { column: columnOf(c.id), max: 1, parts: [(i: number) => (p(i) ? 1 : 0)] };
        });
  return {
    rs,
    prerequisites: rs.prerequisites.map((p) => compileCondition(p.when, pool)),
    apt: compileCondition(rs.apt.when, pool),
    passMark: passMarkOf(rs, opts),
    factors,
    slots,
  };
}

interface Segment {
  ruleSet: number;
  /** list in force per family (index into book.listFamilies), or null */
  lists: (TalentList | null)[];
}

export function scorePool(pool: ApplicantPool, book: RuleBook, opts: ScorePoolOptions = {}): PoolScores {
  const n = pool.size;
  const days = pool.columns.applied_on;
  const rules = opts.rules ?? "auto";
  const forced = rules === "auto" ? -1 : book.ruleSets.indexOf(book.get(rules));
  const families = book.listFamilies;

  // One segment per distinct (rule set, lists in force): looked up per day, not per applicant.
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const d = days[i]!;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  const segments: Segment[] = [];
  const segmentKeys = new Map<string, number>();
  const span = n === 0 ? 0 : maxDay - minDay + 1;
  const segmentOfDay = new Int32Array(span);
  for (let k = 0; k < span; k++) {
    const day = minDay + k;
    const rsIndex = forced >= 0 ? forced : rangeIndex(book.ruleSetDays, day);
    if (rsIndex < 0) {
      segmentOfDay[k] = -1;
      continue;
    }
    const lists = families.map((f) => book.talentListInForce(f, day) ?? null);
    const key = `${rsIndex}|${lists.map((l) => l?.id ?? "").join("|")}`;
    let s = segmentKeys.get(key);
    if (s === undefined) {
      s = segments.length;
      segments.push({ ruleSet: rsIndex, lists });
      segmentKeys.set(key, s);
    }
    segmentOfDay[k] = s;
  }

  // Group applicant indices by segment (counting sort).
  const segmentOf = new Int32Array(n);
  const counts = new Int32Array(segments.length + 1);
  for (let i = 0; i < n; i++) {
    const s = segmentOfDay[days[i]! - minDay]!;
    if (s < 0) {
      throw new UsageError(
        `applicant ${idOf(pool, i)}: no rule set in force on ${formatIsoDay(days[i]!)}: the scheme opened on ${book.ruleSets[0]!.effective_from} (use --rules ID to force one)`,
      );
    }
    segmentOf[i] = s;
    counts[s + 1]!++;
  }
  for (let s = 0; s < segments.length; s++) counts[s + 1]! += counts[s]!;
  const order = new Int32Array(n);
  const fill = counts.slice(0, segments.length);
  for (let i = 0; i < n; i++) order[fill[segmentOf[i]!]!++] = i;

  // Rule sets actually used, in book (date) order; factor columns are the union of their ids.
  const usedWithApplicants = [...new Set(segments.filter((_, k) => counts[k + 1]! > counts[k]!).map((seg) => seg.ruleSet))].sort(
    (a, b) => a - b,
  );
  const ruleSetIds = usedWithApplicants.map((r) => book.ruleSets[r]!.id);
  const factorIds: string[] = [];
  const factorPoints: Int16Array[] = [];
  const columnOf = (id: string): Int16Array => {
    let k = factorIds.indexOf(id);
    if (k < 0) {
      k = factorIds.length;
      factorIds.push(id);
      factorPoints.push(new Int16Array(n).fill(-1));
    }
    return factorPoints[k]!;
  };
  const compiled = new Map<number, CompiledRuleSet>();
  for (const r of usedWithApplicants) compiled.set(r, compileRuleSet(book.ruleSets[r]!, pool, columnOf, opts));

  const out: PoolScores = {
    size: n,
    ruleSetIds,
    ruleSet: new Uint8Array(n),
    route: new Uint8Array(n),
    eligible: new Uint8Array(n),
    failedPrerequisites: new Uint32Array(n),
    total: new Int16Array(n),
    passed: new Uint8Array(n),
    factorIds,
    factorPoints,
  };
  const listTables = new Map<string, Uint8Array>();
  const tableOf = (list: TalentList | null): Uint8Array => {
    if (list === null) return new Uint8Array(0);
    let t = listTables.get(list.id);
    if (!t) {
      t = codeTable(
        pool,
        "profession",
        list.professions.map((p) => p.key).filter((k) => k !== ""),
      );
      listTables.set(list.id, t);
    }
    return t;
  };

  segments.forEach((seg, s) => {
    const start = counts[s]!;
    const end = counts[s + 1]!;
    if (end === start) return;
    const c = compiled.get(seg.ruleSet)!;
    for (const slot of c.slots) slot.table = tableOf(seg.lists[families.indexOf(slot.family)] ?? null);
    scoreSegment(c, order.subarray(start, end), ruleSetIds.indexOf(c.rs.id), out);
  });
  return out;
}

function scoreSegment(c: CompiledRuleSet, indices: Int32Array, ruleSetIndex: number, out: PoolScores): void {
  const { prerequisites, apt, factors, passMark } = c;
  const nPre = prerequisites.length;
  const nFac = factors.length;
  const maxTotal = c.rs.max_total;
  const routeOther = c.rs.kind === "points" ? ROUTE_GPT : ROUTE_CRITERIA;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    let failed = 0;
    for (let p = 0; p < nPre; p++) if (!prerequisites[p]!(i)) failed |= 1 << p;
    const eligible = failed === 0;
    out.ruleSet[i] = ruleSetIndex;
    out.eligible[i] = eligible ? 1 : 0;
    out.failedPrerequisites[i] = failed >>> 0;
    if (apt(i)) {
      out.route[i] = ROUTE_APT;
      out.total[i] = eligible ? maxTotal : 0;
      out.passed[i] = eligible ? 1 : 0;
      continue;
    }
    let total = 0;
    for (let f = 0; f < nFac; f++) {
      const fac = factors[f]!;
      let sum = 0;
      for (const part of fac.parts) sum += part(i);
      if (sum > fac.max) sum = fac.max;
      fac.column[i] = sum;
      total += sum;
    }
    out.route[i] = routeOther;
    out.total[i] = total;
    out.passed[i] = eligible && total >= passMark ? 1 : 0;
  }
}
