import { type ApplicantPool, idOf } from "../applicants/pool.js";
import { formatIsoDay } from "../dates.js";
import { UsageError } from "../errors.js";
import { type RuleBook, rangeIndex } from "./book.js";
import { codeTable } from "./conditions.js";
import { passMarkOf } from "./score.js";
import type { Band, Component, PoolScores, RuleSet, TalentList } from "./types.js";
import { compileMask, MaskCache, type MaskFn } from "./vector.js";

/**
 * Scores a whole pool column by column. Each rule set is compiled once per pool into column-at-a-time loops
 * (vector.ts); applicants are grouped by "segment" (a stretch of days with one rule set and one list
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

/** Adds each applicant's points for one component: acc[j] += points of applicant idx[j]. */
type PartFn = (idx: Int32Array, n: number, acc: Int16Array) => void;

/** Where a membership component reads the list in force for the segment being scored. */
interface ListSlot {
  family: string;
  table: Uint8Array;
}

interface CompiledRuleSet {
  rs: RuleSet;
  prerequisites: MaskFn[];
  apt: MaskFn;
  passMark: number;
  /** points: factors; criteria: one "factor" per criterion scoring 1/0 */
  factors: { column: Int16Array; max: number; parts: PartFn[] }[];
  slots: ListSlot[];
  /** shared masks of repeated conditions; its generation changes with every batch of indices */
  cache: MaskCache;
}

function bandsPart(field: keyof ApplicantPool["columns"], bands: Band[], pool: ApplicantPool): PartFn {
  const col = pool.columns[field];
  const pointsAt = (v: number): number => {
    for (const b of bands) if (v >= b.from && (b.to === undefined || v < b.to)) return b.points;
    return 0;
  };
  if (col instanceof Uint8Array) {
    // every possible value of a byte column, looked up once
    const lut = new Int16Array(256);
    for (let v = 0; v < 256; v++) lut[v] = pointsAt(v);
    return (idx, n, acc) => {
      for (let j = 0; j < n; j++) acc[j] = acc[j]! + lut[col[idx[j]!]!]!;
    };
  }
  return (idx, n, acc) => {
    for (let j = 0; j < n; j++) acc[j] = acc[j]! + pointsAt(col[idx[j]!]!);
  };
}

function maskPart(mask: MaskFn, points: number): PartFn {
  return (idx, n, acc) => {
    const m = mask(idx, n);
    for (let j = 0; j < n; j++) if (m[j] === 1) acc[j] = acc[j]! + points;
  };
}

function componentPart(c: Component, pool: ApplicantPool, slots: ListSlot[], cache: MaskCache): PartFn {
  if ("bands" in c) return bandsPart(c.bands.field, c.bands.bands, pool);
  if ("ladder" in c) {
    const masks = c.ladder.map((r) => compileMask(r.when, pool, cache));
    const pts = c.ladder.map((r) => r.points);
    let done = new Uint8Array(0);
    return (idx, n, acc) => {
      if (done.length < n) done = new Uint8Array(Math.max(n, 1024));
      done.fill(0, 0, n);
      masks.forEach((mask, k) => {
        const m = mask(idx, n);
        const p = pts[k]!;
        for (let j = 0; j < n; j++) {
          if (m[j] === 1 && done[j] === 0) {
            acc[j] = acc[j]! + p;
            done[j] = 1;
          }
        }
      });
    };
  }
  if ("bonus" in c) return maskPart(compileMask(c.bonus.when, pool, cache), c.bonus.points);
  if ("per_unit" in c) {
    const col = pool.columns[c.per_unit.field];
    const cap = c.per_unit.max_units ?? Number.POSITIVE_INFINITY;
    const pts = c.per_unit.points;
    return (idx, n, acc) => {
      for (let j = 0; j < n; j++) {
        const units = Math.floor(Math.min(col[idx[j]!]!, cap));
        if (units > 0) acc[j] = acc[j]! + units * pts;
      }
    };
  }
  const slot: ListSlot = { family: c.membership.list, table: new Uint8Array(0) };
  slots.push(slot);
  const col = pool.columns.profession;
  const pts = c.membership.points;
  return (idx, n, acc) => {
    const table = slot.table;
    for (let j = 0; j < n; j++) if (table[col[idx[j]!]!] === 1) acc[j] = acc[j]! + pts;
  };
}

function compileRuleSet(rs: RuleSet, pool: ApplicantPool, columnOf: (id: string) => Int16Array, opts: ScorePoolOptions): CompiledRuleSet {
  const slots: ListSlot[] = [];
  const cache = new MaskCache();
  const factors =
    rs.kind === "points"
      ? rs.factors.map((f) => ({ column: columnOf(f.id), max: f.max, parts: f.components.map((c) => componentPart(c, pool, slots, cache)) }))
      : rs.criteria.map((c) => ({ column: columnOf(c.id), max: 1, parts: [maskPart(compileMask(c.when, pool, cache), 1)] }));
  return {
    rs,
    prerequisites: rs.prerequisites.map((p) => compileMask(p.when, pool, cache)),
    apt: compileMask(rs.apt.when, pool, cache),
    cache,
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
  let minDay = 2147483647;
  let maxDay = -2147483648;
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

  // Segment of every applicant, and how many applicants each segment has.
  const segmentOf = new Int32Array(n);
  const sizes = new Int32Array(segments.length);
  for (let i = 0; i < n; i++) {
    const s = segmentOfDay[days[i]! - minDay]!;
    if (s < 0) {
      throw new UsageError(
        `applicant ${idOf(pool, i)}: no rule set in force on ${formatIsoDay(days[i]!)}: the scheme opened on ${book.ruleSets[0]!.effective_from} (use --rules ID to force one)`,
      );
    }
    segmentOf[i] = s;
    sizes[s]!++;
  }

  // Rule sets actually used, in book (date) order; factor columns are the union of their ids.
  const usedWithApplicants = [...new Set(segments.filter((_, k) => sizes[k]! > 0).map((seg) => seg.ruleSet))].sort(
    (a, b) => a - b,
  );
  const ruleSetIds = usedWithApplicants.map((r) => book.ruleSets[r]!.id);
  const factorIds = mergeFactorIds(usedWithApplicants.map((r) => book.ruleSets[r]!));
  const factorPoints = factorIds.map(() => new Int16Array(n).fill(-1));
  const columnOf = (id: string): Int16Array => factorPoints[factorIds.indexOf(id)]!;
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

  // Score block by block so that every column slice stays in cache while all the rule set's loops run
  // over it; within a block, applicants are grouped by segment (counting sort).
  const work = new Work(Math.min(BLOCK, n));
  const ruleSetIndexOf = segments.map((seg) => ruleSetIds.indexOf(book.ruleSets[seg.ruleSet]!.id));
  const tables = segments.map((seg) => {
    const c = compiled.get(seg.ruleSet);
    return c ? c.slots.map((slot) => tableOf(seg.lists[families.indexOf(slot.family)] ?? null)) : [];
  });
  const blockSize = Math.min(BLOCK, n);
  const segmentIdx = segments.map(() => new Int32Array(blockSize));
  const filled = new Int32Array(segments.length);
  for (let b = 0; b < n; b += BLOCK) {
    const e = Math.min(n, b + BLOCK);
    filled.fill(0);
    for (let i = b; i < e; i++) {
      const s = segmentOf[i]!;
      segmentIdx[s]![filled[s]!++] = i;
    }
    for (let s = 0; s < segments.length; s++) {
      if (filled[s] === 0) continue;
      const c = compiled.get(segments[s]!.ruleSet)!;
      const t = tables[s]!;
      for (let k = 0; k < c.slots.length; k++) c.slots[k]!.table = t[k]!;
      scoreSegment(c, segmentIdx[s]!, filled[s]!, ruleSetIndexOf[s]!, out, work);
    }
  }
  return out;
}

/**
 * The union of factor (or criterion) ids of several rule sets, each rule set's own order kept: an id
 * new to the union goes right after the id that precedes it in its rule set (so talent_list, new in
 * 2018, sits between work and language).
 */
export function mergeFactorIds(ruleSets: readonly RuleSet[]): string[] {
  const out: string[] = [];
  for (const rs of ruleSets) {
    const ids = rs.kind === "points" ? rs.factors.map((f) => f.id) : rs.criteria.map((c) => c.id);
    ids.forEach((id, k) => {
      if (out.includes(id)) return;
      const at = k === 0 ? -1 : out.indexOf(ids[k - 1]!);
      if (at < 0) out.push(id);
      else out.splice(at + 1, 0, id);
    });
  }
  return out;
}

/** Applicants scored together; small enough for the columns they touch to stay in cache. */
const BLOCK = 8192;

/** Scratch arrays for one block, allocated once per pool. */
class Work {
  readonly failed: Uint32Array;
  readonly total: Int16Array;
  readonly acc: Int16Array;
  constructor(size: number) {
    this.failed = new Uint32Array(size);
    this.total = new Int16Array(size);
    this.acc = new Int16Array(size);
  }
}

function scoreSegment(c: CompiledRuleSet, idx: Int32Array, m: number, ruleSetIndex: number, out: PoolScores, work: Work): void {
  const { failed, total, acc } = work;
  c.cache.generation++;
  failed.fill(0, 0, m);
  total.fill(0, 0, m);
  for (let p = 0; p < c.prerequisites.length; p++) {
    const mask = c.prerequisites[p]!(idx, m);
    const bit = (1 << p) >>> 0;
    for (let j = 0; j < m; j++) if (mask[j] === 0) failed[j] = (failed[j]! | bit) >>> 0;
  }
  const apt = c.apt(idx, m);
  for (const f of c.factors) {
    acc.fill(0, 0, m);
    for (let k = 0; k < f.parts.length; k++) f.parts[k]!(idx, m, acc);
    const column = f.column;
    const max = f.max;
    for (let j = 0; j < m; j++) {
      if (apt[j] === 1) continue;
      const v = Math.min(acc[j]!, max);
      column[idx[j]!] = v;
      total[j] = total[j]! + v;
    }
  }
  const maxTotal = c.rs.max_total;
  const passMark = c.passMark;
  const routeOther = c.rs.kind === "points" ? ROUTE_GPT : ROUTE_CRITERIA;
  for (let j = 0; j < m; j++) {
    const i = idx[j]!;
    const eligible = failed[j] === 0;
    out.ruleSet[i] = ruleSetIndex;
    out.eligible[i] = eligible ? 1 : 0;
    out.failedPrerequisites[i] = failed[j]!;
    if (apt[j] === 1) {
      out.route[i] = ROUTE_APT;
      out.total[i] = eligible ? maxTotal : 0;
      out.passed[i] = eligible ? 1 : 0;
    } else {
      out.route[i] = routeOther;
      out.total[i] = total[j]!;
      out.passed[i] = eligible && total[j]! >= passMark ? 1 : 0;
    }
  }
}
