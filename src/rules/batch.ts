import { type ApplicantPool, idOf } from "../applicants/pool.js";
import type { NumericField } from "../applicants/record.js";
import { formatIsoDay } from "../dates.js";
import { InputError } from "../errors.js";
import { KEPT_PER_RUN, KeptPerOwner } from "../kept.js";
import { type RuleBook, rangeIndex } from "./book.js";
import { codeTable } from "./conditions.js";
import { nearestDayIn } from "./list-day.js";
import { passMarkOf } from "./score.js";
import {
  type Band,
  type Component,
  type Condition,
  type PoolScores,
  ROUTE_APT,
  ROUTE_CRITERIA,
  ROUTE_GPT,
  type RuleSet,
  type TalentList,
} from "./types.js";
import { type Lookup, MaskProgram } from "./vector.js";

/**
 * Scores a whole pool column by column. Each rule set is compiled once per pool (vector.ts MaskProgram):
 * every leaf condition becomes a bit of a per-applicant word, filled by one pass per column (byte
 * columns four to a pass through 256-entry tables of bits); the prerequisites, and each factor's ladders
 * and bonuses, are then read from tables indexed by their leaves' bits (precomputed by evaluating the
 * conditions on every assignment of those leaves), so a factor costs one pass. Applicants are grouped by
 * "segment" (a stretch of days with one rule set and one list per Talent List family: the list of
 * the day itself, or of the nearest day of a forced rule set's period, see list-day.ts) and scored in
 * blocks that stay in cache; the hot loops touch only typed arrays: no per-applicant objects or strings.
 * Must agree exactly with scoreApplicant (property tests check this, including the wide-rule-set
 * fallback to byte masks).
 */

export interface ScorePoolOptions {
  /**
   * "auto" (default): the rule set in force on each applied_on; or a rule-set id for everyone, with the
   * Talent Lists of the nearest day of its period for applications dated outside it (list-day.ts)
   */
  rules?: "auto" | string;
  /** overrides the points pass mark */
  passMark?: number;
  /**
   * false: no per-factor columns (factorIds and factorPoints come back empty). A run keeps only totals,
   * and writing seven scattered columns it never reads was a quarter of the scoring time.
   */
  breakdown?: boolean;
}

type NumberColumn = ApplicantPool["columns"][NumericField];

/**
 * One component of a factor, ready to add its points for a batch: masks are MaskProgram slots, tables
 * are indexed by column value. A closed set of kinds dispatched by a switch, so each loop is one
 * monomorphic kernel.
 */
type Part =
  /** bands or per_unit over a byte column: points of every byte value */
  | { kind: typeof PART_BYTE_TABLE; col: Uint8Array; points: Float64Array }
  | { kind: typeof PART_BANDS; col: NumberColumn; bands: Band[] }
  | { kind: typeof PART_PER_UNIT; col: NumberColumn; cap: number; points: number }
  /** the first rung whose mask holds scores */
  | { kind: typeof PART_LADDER; masks: Uint8Array[]; points: number[] }
  | { kind: typeof PART_BONUS; mask: Uint8Array; points: number }
  /** slot: index into the segment's list tables */
  | { kind: typeof PART_MEMBERSHIP; col: Uint16Array; slot: number; points: number }
  /** every ladder and bonus of the factor at once, tabulated over their leaves */
  | { kind: typeof PART_LOOKUP; lookup: Lookup };

const PART_BYTE_TABLE = 0;
const PART_BANDS = 1;
const PART_PER_UNIT = 2;
const PART_LADDER = 3;
const PART_BONUS = 4;
const PART_MEMBERSHIP = 5;
const PART_LOOKUP = 6;

interface CompiledFactor {
  column: Int16Array;
  max: number;
  parts: Part[];
  /**
   * when the factor is a single lookup or byte table: its capped points per table entry (the Int16
   * sum, then the factor's max, exactly as the general path computes them), stored in one pass
   */
  capped: Int16Array | null;
}

/** min(ToInt16(points), max) per entry: what acc and Math.min make of one part's points. */
function cappedTable(points: Float64Array, max: number): Int16Array {
  const asInt16 = Int16Array.from(points);
  return asInt16.map((v) => Math.min(v, max));
}

function compiledFactor(column: Int16Array, max: number, parts: Part[]): CompiledFactor {
  const only = parts.length === 1 ? parts[0]! : null;
  const capped =
    only?.kind === PART_LOOKUP
      ? cappedTable(only.lookup.table, max)
      : only?.kind === PART_BYTE_TABLE
        ? cappedTable(only.points, max)
        : null;
  return { column, max, parts, capped };
}

interface CompiledRuleSet {
  rs: RuleSet;
  /** every condition's mask, recomputed per batch */
  program: MaskProgram;
  /** failed-prerequisite bits tabulated over the prerequisites' leaves, or null: use the masks */
  failedLookup: Lookup | null;
  prerequisites: Uint8Array[];
  apt: Uint8Array;
  passMark: number;
  /** points: factors; criteria: one "factor" per criterion scoring 1/0 */
  factors: CompiledFactor[];
  /** the factors' columns, reset to -1 for APT applicants */
  factorColumns: Int16Array[];
  /** list family read by each membership slot */
  slots: string[];
  /** whether factor points are kept per applicant (ScorePoolOptions.breakdown); else only totals */
  breakdown: boolean;
}

function bandPoints(bands: Band[], v: number): number {
  for (const b of bands) if (v >= b.from && (b.to === undefined || v < b.to)) return b.points;
  return 0;
}

function unitPoints(v: number, cap: number, points: number): number {
  const units = Math.floor(Math.min(v, cap));
  return units > 0 ? units * points : 0;
}

function byteTable(f: (v: number) => number): Float64Array {
  const t = new Float64Array(256);
  for (let v = 0; v < 256; v++) t[v] = f(v);
  return t;
}

function componentPart(c: Component, pool: ApplicantPool, slots: string[], program: MaskProgram): Part {
  if ("bands" in c) {
    const col = pool.columns[c.bands.field];
    const bands = c.bands.bands;
    if (col instanceof Uint8Array)
      return { kind: PART_BYTE_TABLE, col, points: byteTable((v) => bandPoints(bands, v)) };
    return { kind: PART_BANDS, col, bands };
  }
  if ("ladder" in c)
    return {
      kind: PART_LADDER,
      masks: c.ladder.map((r) => program.add(r.when)),
      points: c.ladder.map((r) => r.points),
    };
  if ("bonus" in c) return { kind: PART_BONUS, mask: program.add(c.bonus.when), points: c.bonus.points };
  if ("per_unit" in c) {
    const col = pool.columns[c.per_unit.field];
    const cap = c.per_unit.max_units ?? Number.POSITIVE_INFINITY;
    const points = c.per_unit.points;
    if (col instanceof Uint8Array)
      return { kind: PART_BYTE_TABLE, col, points: byteTable((v) => unitPoints(v, cap, points)) };
    return { kind: PART_PER_UNIT, col, cap, points };
  }
  slots.push(c.membership.list);
  return {
    kind: PART_MEMBERSHIP,
    col: pool.columns.profession,
    slot: slots.length - 1,
    points: c.membership.points,
  };
}

function componentConditions(components: readonly Component[]): Condition[] {
  return components.flatMap((c) =>
    "ladder" in c ? c.ladder.map((r) => r.when) : "bonus" in c ? [c.bonus.when] : [],
  );
}

function factorParts(
  components: readonly Component[],
  pool: ApplicantPool,
  slots: string[],
  program: MaskProgram,
): Part[] {
  const conds = componentConditions(components);
  const lookup =
    conds.length > 0
      ? program.addLookup(conds, (holds) => ladderAndBonusPoints(components, holds), components)
      : null;
  if (!lookup) return components.map((c) => componentPart(c, pool, slots, program));
  const parts: Part[] = [{ kind: PART_LOOKUP, lookup }];
  for (const c of components)
    if (!("ladder" in c || "bonus" in c)) parts.push(componentPart(c, pool, slots, program));
  return parts;
}

/** What the ladders (first rung that holds) and bonuses of a factor add, given the truth of componentConditions. */
function ladderAndBonusPoints(components: readonly Component[], holds: readonly boolean[]): number {
  let sum = 0;
  let k = 0;
  for (const c of components) {
    if ("ladder" in c) {
      const first = c.ladder.findIndex((_, r) => holds[k + r]);
      if (first >= 0) sum += c.ladder[first]!.points;
      k += c.ladder.length;
    } else if ("bonus" in c) {
      if (holds[k]) sum += c.bonus.points;
      k++;
    }
  }
  return sum;
}

function compileRuleSet(
  rs: RuleSet,
  pool: ApplicantPool,
  columnOf: (id: string) => Int16Array,
  opts: ScorePoolOptions,
  capacity: number,
): CompiledRuleSet {
  const slots: string[] = [];
  const program = new MaskProgram(pool, capacity);
  const factors =
    rs.kind === "points"
      ? rs.factors.map((f) =>
          compiledFactor(columnOf(f.id), f.max, factorParts(f.components, pool, slots, program)),
        )
      : rs.criteria.map((c) => {
          const lookup = program.addLookup([c.when], (holds) => (holds[0] ? 1 : 0), c);
          const part: Part = lookup
            ? { kind: PART_LOOKUP, lookup }
            : { kind: PART_BONUS, mask: program.add(c.when), points: 1 };
          return compiledFactor(columnOf(c.id), 1, [part]);
        });
  const failedLookup = program.addLookup(
    rs.prerequisites.map((p) => p.when),
    (holds) => holds.reduce((failed, h, p) => (h ? failed : (failed | ((1 << p) >>> 0)) >>> 0), 0),
    rs.prerequisites,
  );
  return {
    rs,
    program,
    failedLookup,
    prerequisites: failedLookup ? [] : rs.prerequisites.map((p) => program.add(p.when)),
    apt: program.add(rs.apt.when),
    passMark: passMarkOf(rs, opts),
    factors,
    factorColumns: factors.map((f) => f.column),
    breakdown: opts.breakdown !== false,
    slots,
  };
}

interface Segment {
  ruleSet: number;
  /** list in force per family (index into book.listFamilies), or null */
  lists: (TalentList | null)[];
}

// The loops over every applicant live in small functions of their own: V8 optimises each once. Inside
// scorePool (called once per quarter, mostly setup) each long loop was compiled on the fly with the
// whole function around it, then thrown away when the code after it ran for the first time: scorePool
// was compiled 21 times in a 40-quarter run, ≈0.9 s of the compiler's time.

/** Earliest and latest day of days[0..n) ([2147483647, -2147483648] for none). */
function dayRange(days: Int32Array, n: number): [number, number] {
  let minDay = 2147483647;
  let maxDay = -2147483648;
  for (let i = 0; i < n; i++) {
    const d = days[i]!;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  return [minDay, maxDay];
}

/** segmentOf[i] and the count per segment; returns the first applicant on a day without a rule set, else −1. */
function assignSegments(
  days: Int32Array,
  n: number,
  minDay: number,
  segmentOfDay: Int32Array,
  segmentOf: Int32Array,
  sizes: Int32Array,
): number {
  for (let i = 0; i < n; i++) {
    const s = segmentOfDay[days[i]! - minDay]!;
    if (s < 0) return i;
    segmentOf[i] = s;
    sizes[s]!++;
  }
  return -1;
}

/** Applicants b … e − 1 listed per segment (counting sort): segmentIdx[s][0 … filled[s]). */
function groupBySegment(
  segmentOf: Int32Array,
  b: number,
  e: number,
  segmentIdx: Int32Array[],
  filled: Int32Array,
): void {
  filled.fill(0);
  for (let i = b; i < e; i++) {
    const s = segmentOf[i]!;
    segmentIdx[s]![filled[s]!++] = i;
  }
}

interface DaySegments {
  segments: Segment[];
  /** segment of day minDay + k (−1: no rule set in force) */
  segmentOfDay: Int32Array;
}

/**
 * The segments of days minDay … minDay + span − 1, kept per book (books never change): every
 * replication scores the same quarters, so each range is worked out once per thread instead of once
 * per scored pool. Read-only.
 */
const DAY_SEGMENTS = new KeptPerOwner<RuleBook, DaySegments>(KEPT_PER_RUN);

function daySegments(book: RuleBook, forced: number, minDay: number, span: number): DaySegments {
  return DAY_SEGMENTS.get(book, `${forced}:${minDay}:${span}`, () =>
    computeDaySegments(book, forced, minDay, span),
  );
}

function computeDaySegments(book: RuleBook, forced: number, minDay: number, span: number): DaySegments {
  const families = book.listFamilies;
  const segments: Segment[] = [];
  const segmentKeys = new Map<string, number>();
  const segmentOfDay = new Int32Array(span);
  for (let k = 0; k < span; k++) {
    const day = minDay + k;
    const rsIndex = forced >= 0 ? forced : rangeIndex(book.ruleSetDays, day);
    if (rsIndex < 0) {
      segmentOfDay[k] = -1;
      continue;
    }
    // a forced rule set brings the lists of its own period (list-day.ts); identity under "auto"
    const listsOn = nearestDayIn(book.ruleSetDays.from[rsIndex]!, book.ruleSetDays.to[rsIndex]!, day);
    const lists = families.map((f) => book.talentListInForce(f, listsOn) ?? null);
    const key = `${rsIndex}|${lists.map((l) => l?.id ?? "").join("|")}`;
    let s = segmentKeys.get(key);
    if (s === undefined) {
      s = segments.length;
      segments.push({ ruleSet: rsIndex, lists });
      segmentKeys.set(key, s);
    }
    segmentOfDay[k] = s;
  }
  return { segments, segmentOfDay };
}

export function scorePool(pool: ApplicantPool, book: RuleBook, opts: ScorePoolOptions = {}): PoolScores {
  const n = pool.size;
  const days = pool.columns.applied_on;
  const rules = opts.rules ?? "auto";
  const forced = rules === "auto" ? -1 : book.ruleSets.indexOf(book.get(rules));
  const families = book.listFamilies;

  // One segment per distinct (rule set, lists in force): looked up per day, not per applicant.
  const [minDay, maxDay] = dayRange(days, n);
  const span = n === 0 ? 0 : maxDay - minDay + 1;
  const { segments, segmentOfDay } = daySegments(book, forced, minDay, span);

  // Segment of every applicant, and how many applicants each segment has.
  const segmentOf = new Int32Array(n);
  const sizes = new Int32Array(segments.length);
  const outside = assignSegments(days, n, minDay, segmentOfDay, segmentOf, sizes);
  if (outside >= 0) {
    throw new InputError(
      `applicant ${idOf(pool, outside)}: no rule set in force on ${formatIsoDay(days[outside]!)}: the scheme opened on ${book.ruleSets[0]!.effective_from} (force a rule set to score it anyway)`,
    );
  }

  // Rule sets actually used, in book (date) order; factor columns are the union of their ids.
  const usedWithApplicants = [
    ...new Set(segments.filter((_, k) => sizes[k]! > 0).map((seg) => seg.ruleSet)),
  ].sort((a, b) => a - b);
  const ruleSetIds = usedWithApplicants.map((r) => book.ruleSets[r]!.id);
  const factorIds = mergeFactorIds(usedWithApplicants.map((r) => book.ruleSets[r]!));
  const breakdown = opts.breakdown !== false;
  const factorPoints = breakdown ? factorIds.map(() => new Int16Array(n).fill(-1)) : [];
  // without a breakdown every factor writes to one column nobody reads
  const sink = breakdown ? null : new Int16Array(n);
  const columnOf = (id: string): Int16Array => sink ?? factorPoints[factorIds.indexOf(id)]!;
  const compiled = new Map<number, CompiledRuleSet>();
  const blockSize = Math.min(BLOCK, n);
  for (const r of usedWithApplicants)
    compiled.set(r, compileRuleSet(book.ruleSets[r]!, pool, columnOf, opts, blockSize));

  const out: PoolScores = {
    size: n,
    ruleSetIds,
    ruleSet: new Uint8Array(n),
    route: new Uint8Array(n),
    eligible: new Uint8Array(n),
    failedPrerequisites: new Uint32Array(n),
    total: new Int16Array(n),
    passed: new Uint8Array(n),
    factorIds: breakdown ? factorIds : [],
    factorPoints,
  };
  // membership tables indexed by any 16-bit profession code, so the kernel needs no bounds test
  const professions = pool.dictionaries.profession;
  const tableOf = (list: TalentList | null): Uint8Array =>
    list === null ? NO_LIST : membershipTable(list, professions, pool);

  // Score block by block so that every column slice and mask stays in cache while all the rule set's
  // loops run over it; within a block, applicants are grouped by segment (counting sort).
  const work = new Work(blockSize);
  const ruleSetIndexOf = segments.map((seg) => ruleSetIds.indexOf(book.ruleSets[seg.ruleSet]!.id));
  const tables = segments.map((seg) => {
    const c = compiled.get(seg.ruleSet);
    return c ? c.slots.map((family) => tableOf(seg.lists[families.indexOf(family)] ?? null)) : [];
  });
  const segmentIdx = segments.map(() => new Int32Array(blockSize));
  const filled = new Int32Array(segments.length);
  for (let b = 0; b < n; b += BLOCK) {
    const e = Math.min(n, b + BLOCK);
    groupBySegment(segmentOf, b, e, segmentIdx, filled);
    for (let s = 0; s < segments.length; s++) {
      if (filled[s] === 0) continue;
      scoreSegment(
        compiled.get(segments[s]!.ruleSet)!,
        tables[s]!,
        segmentIdx[s]!,
        filled[s]!,
        ruleSetIndexOf[s]!,
        out,
        work,
      );
    }
  }
  return out;
}

/** Read-only: no profession is on it. */
const NO_LIST = new Uint8Array(65536);
/**
 * Membership tables by list object and profession dictionary: a run scores a pool per quarter, each
 * with the same dictionary, and building 64 KB tables every time was a tenth of a small replication's
 * scoring. Keyed by the list object, so a list changed by a scenario override (a new object) never
 * reuses the table of the list it replaced.
 */
const MEMBERSHIP_TABLES = new WeakMap<TalentList, Map<string, Uint8Array>>();

function membershipTable(list: TalentList, professions: readonly string[], pool: ApplicantPool): Uint8Array {
  let byDictionary = MEMBERSHIP_TABLES.get(list);
  if (!byDictionary) MEMBERSHIP_TABLES.set(list, (byDictionary = new Map()));
  const key = professions.join("\u0000");
  let t = byDictionary.get(key);
  if (!t) {
    const codes = codeTable(
      pool,
      "profession",
      list.professions.map((p) => p.key).filter((k) => k !== ""),
    );
    t = new Uint8Array(65536);
    t.set(codes);
    // one or two dictionaries per list in practice; bounded so a long session of CSV pools cannot grow it
    if (byDictionary.size >= 16) byDictionary.clear();
    byDictionary.set(key, t);
  }
  return t;
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
  /** points of the ladder rung reached so far */
  readonly rung: Float64Array;
  constructor(size: number) {
    this.failed = new Uint32Array(size);
    this.total = new Int16Array(size);
    this.acc = new Int16Array(size);
    this.rung = new Float64Array(size);
  }
}

function scoreSegment(
  c: CompiledRuleSet,
  lists: Uint8Array[],
  idx: Int32Array,
  m: number,
  ruleSetIndex: number,
  out: PoolScores,
  work: Work,
): void {
  const { failed, total, acc } = work;
  c.program.run(idx, m);
  total.fill(0, 0, m);
  if (c.failedLookup) readFailed(c.failedLookup, m, failed);
  else {
    failed.fill(0, 0, m);
    for (let p = 0; p < c.prerequisites.length; p++) markFailed(c.prerequisites[p]!, p, m, failed);
  }
  const apt = c.apt;
  // without a breakdown only the totals are kept: no factor column is written (a scattered write per
  // factor and applicant)
  const keep = c.breakdown;
  for (const f of c.factors) {
    if (f.capped) {
      const only = f.parts[0]!;
      if (only.kind === PART_LOOKUP) {
        if (keep)
          storeLookedUp(
            only.lookup.word,
            only.lookup.shift,
            only.lookup.mask,
            f.capped,
            f.column,
            idx,
            m,
            total,
          );
        else totalLookedUp(only.lookup.word, only.lookup.shift, only.lookup.mask, f.capped, m, total);
      } else if (only.kind === PART_BYTE_TABLE) {
        if (keep) storeByteTable(only.col, f.capped, f.column, idx, m, total);
        else totalByteTable(only.col, f.capped, idx, m, total);
      }
      continue;
    }
    acc.fill(0, 0, m);
    const parts = f.parts;
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k]!;
      switch (part.kind) {
        case PART_BYTE_TABLE:
          addByteTable(part.col, part.points, idx, m, acc);
          break;
        case PART_BANDS:
          addBands(part.col, part.bands, idx, m, acc);
          break;
        case PART_PER_UNIT:
          addPerUnit(part.col, part.cap, part.points, idx, m, acc);
          break;
        case PART_LADDER:
          addLadder(part.masks, part.points, m, acc, work.rung);
          break;
        case PART_BONUS:
          addBonus(part.mask, part.points, m, acc);
          break;
        case PART_MEMBERSHIP:
          addMembership(part.col, lists[part.slot]!, part.points, idx, m, acc);
          break;
        case PART_LOOKUP:
          addLookedUp(part.lookup.word, part.lookup.shift, part.lookup.mask, part.lookup.table, m, acc);
          break;
      }
    }
    if (keep) storeFactor(f.column, f.max, idx, m, acc, total);
    else totalFactor(f.max, m, acc, total);
  }
  writeOutcomes(c, apt, failed, total, idx, m, ruleSetIndex, out);
}

/** Each applicant's rule set, route, eligibility, total and pass (a loop of its own: see dayRange). */
function writeOutcomes(
  c: CompiledRuleSet,
  apt: Uint8Array,
  failed: Uint32Array,
  total: Int16Array,
  idx: Int32Array,
  m: number,
  ruleSetIndex: number,
  out: PoolScores,
): void {
  const maxTotal = c.rs.max_total;
  const passMark = c.passMark;
  const routeOther = c.rs.kind === "points" ? ROUTE_GPT : ROUTE_CRITERIA;
  const columns = c.factorColumns;
  for (let j = 0; j < m; j++) {
    const i = idx[j]!;
    const eligible = failed[j] === 0;
    out.ruleSet[i] = ruleSetIndex;
    out.eligible[i] = eligible ? 1 : 0;
    out.failedPrerequisites[i] = failed[j]!;
    if (apt[j] === 1) {
      for (let f = 0; f < columns.length; f++) columns[f]![i] = -1;
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

function markFailed(mask: Uint8Array, p: number, m: number, failed: Uint32Array): void {
  const bit = (1 << p) >>> 0;
  for (let j = 0; j < m; j++) if (mask[j] === 0) failed[j] = (failed[j]! | bit) >>> 0;
}

function readFailed(lookup: Lookup, m: number, failed: Uint32Array): void {
  const { word, shift, mask, table } = lookup;
  for (let j = 0; j < m; j++) failed[j] = table[(word[j]! >>> shift) & mask]!;
}

function addLookedUp(
  word: Uint32Array,
  shift: number,
  mask: number,
  table: Float64Array,
  m: number,
  acc: Int16Array,
): void {
  for (let j = 0; j < m; j++) acc[j] = acc[j]! + table[(word[j]! >>> shift) & mask]!;
}

function addByteTable(
  col: Uint8Array,
  points: Float64Array,
  idx: Int32Array,
  m: number,
  acc: Int16Array,
): void {
  for (let j = 0; j < m; j++) acc[j] = acc[j]! + points[col[idx[j]!]!]!;
}

function addBands(col: NumberColumn, bands: Band[], idx: Int32Array, m: number, acc: Int16Array): void {
  for (let j = 0; j < m; j++) acc[j] = acc[j]! + bandPoints(bands, col[idx[j]!]!);
}

function addPerUnit(
  col: NumberColumn,
  cap: number,
  points: number,
  idx: Int32Array,
  m: number,
  acc: Int16Array,
): void {
  for (let j = 0; j < m; j++) {
    const units = Math.floor(Math.min(col[idx[j]!]!, cap));
    if (units > 0) acc[j] = acc[j]! + units * points;
  }
}

/** Rungs from last to first, so the first rung that holds has the last word. */
function addLadder(
  masks: Uint8Array[],
  points: number[],
  m: number,
  acc: Int16Array,
  rung: Float64Array,
): void {
  rung.fill(0, 0, m);
  for (let k = masks.length - 1; k >= 0; k--) {
    const mask = masks[k]!;
    const p = points[k]!;
    for (let j = 0; j < m; j++) if (mask[j] === 1) rung[j] = p;
  }
  for (let j = 0; j < m; j++) acc[j] = acc[j]! + rung[j]!;
}

/** mask is 0/1 and points a whole number: multiplying avoids a hard-to-predict branch */
function addBonus(mask: Uint8Array, points: number, m: number, acc: Int16Array): void {
  for (let j = 0; j < m; j++) acc[j] = acc[j]! + mask[j]! * points;
}

function addMembership(
  col: Uint16Array,
  table: Uint8Array,
  points: number,
  idx: Int32Array,
  m: number,
  acc: Int16Array,
): void {
  for (let j = 0; j < m; j++) acc[j] = acc[j]! + table[col[idx[j]!]!]! * points;
}

function storeLookedUp(
  word: Uint32Array,
  shift: number,
  mask: number,
  capped: Int16Array,
  column: Int16Array,
  idx: Int32Array,
  m: number,
  total: Int16Array,
): void {
  for (let j = 0; j < m; j++) {
    const v = capped[(word[j]! >>> shift) & mask]!;
    column[idx[j]!] = v;
    total[j] = total[j]! + v;
  }
}

function storeByteTable(
  col: Uint8Array,
  capped: Int16Array,
  column: Int16Array,
  idx: Int32Array,
  m: number,
  total: Int16Array,
): void {
  for (let j = 0; j < m; j++) {
    const i = idx[j]!;
    const v = capped[col[i]!]!;
    column[i] = v;
    total[j] = total[j]! + v;
  }
}

function totalLookedUp(
  word: Uint32Array,
  shift: number,
  mask: number,
  capped: Int16Array,
  m: number,
  total: Int16Array,
): void {
  for (let j = 0; j < m; j++) total[j] = total[j]! + capped[(word[j]! >>> shift) & mask]!;
}

function totalByteTable(
  col: Uint8Array,
  capped: Int16Array,
  idx: Int32Array,
  m: number,
  total: Int16Array,
): void {
  for (let j = 0; j < m; j++) total[j] = total[j]! + capped[col[idx[j]!]!]!;
}

function totalFactor(max: number, m: number, acc: Int16Array, total: Int16Array): void {
  for (let j = 0; j < m; j++) {
    const a = acc[j]!;
    total[j] = total[j]! + (a < max ? a : max);
  }
}

/** Stores every applicant's capped points; the final loop puts back -1 for APT applicants. */
function storeFactor(
  column: Int16Array,
  max: number,
  idx: Int32Array,
  m: number,
  acc: Int16Array,
  total: Int16Array,
): void {
  for (let j = 0; j < m; j++) {
    const a = acc[j]!;
    const v = a < max ? a : max;
    column[idx[j]!] = v;
    total[j] = total[j]! + v;
  }
}
