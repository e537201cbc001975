import type { ApplicantPool } from "../applicants/pool.js";
import { codeTable } from "./conditions.js";
import type { Comparison, Condition } from "./types.js";

/**
 * Conditions compiled for many applicants at once: a MaskFn returns a mask m with m[j] = 1 when the
 * condition holds for applicant idx[j], for j < n. The mask is the compiled node's own buffer, valid
 * until that node runs again. Each operator is one tight loop over a typed column, so the batch path
 * runs at memory speed instead of calling a closure per applicant per leaf.
 */
export type MaskFn = (idx: Int32Array, n: number) => Uint8Array;

type Column = Uint8Array | Uint16Array | Int32Array | Float64Array;

/**
 * Shares the masks of identical (sub)conditions within one batch: rule sets repeat "chinese or
 * english", "years_experience ≥ 5" and the like across prerequisites and rungs. A cached mask is
 * computed once per generation; bump `generation` whenever idx changes.
 */
export class MaskCache {
  generation = 0;
  readonly masks = new Map<string, MaskFn>();
}

/** A growable private buffer: each compiled node owns its output. */
function buffer(): (n: number) => Uint8Array {
  let b = new Uint8Array(0);
  return (n) => {
    if (b.length < n) b = new Uint8Array(Math.max(n, 1024));
    return b;
  };
}

function numericMask(c: Comparison, col: Column): MaskFn {
  const own = buffer();
  if ("gte" in c) {
    const t = c.gte;
    return (idx, n) => {
      const out = own(n);
      for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! >= t ? 1 : 0;
      return out;
    };
  }
  if ("gt" in c) {
    const t = c.gt;
    return (idx, n) => {
      const out = own(n);
      for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! > t ? 1 : 0;
      return out;
    };
  }
  if ("lte" in c) {
    const t = c.lte;
    return (idx, n) => {
      const out = own(n);
      for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! <= t ? 1 : 0;
      return out;
    };
  }
  if ("lt" in c) {
    const t = c.lt;
    return (idx, n) => {
      const out = own(n);
      for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! < t ? 1 : 0;
      return out;
    };
  }
  const t = (c as { eq: number }).eq;
  return (idx, n) => {
    const out = own(n);
    for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! === t ? 1 : 0;
    return out;
  };
}

function leafMask(c: Comparison, pool: ApplicantPool): MaskFn {
  const cols = pool.columns;
  const own = buffer();
  if ("is" in c) {
    const col = cols[c.field];
    const want = c.is ? 1 : 0;
    return (idx, n) => {
      const out = own(n);
      for (let j = 0; j < n; j++) out[j] = col[idx[j]!] === want ? 1 : 0;
      return out;
    };
  }
  if ("in" in c || "not_in" in c) {
    const col: Column = cols[c.field];
    const table = codeTable(pool, c.field, "in" in c ? c.in : c.not_in);
    const outside = "in" in c ? 0 : 1;
    if ("not_in" in c) for (let k = 0; k < table.length; k++) table[k] = table[k] === 1 ? 0 : 1;
    return (idx, n) => {
      const out = own(n);
      for (let j = 0; j < n; j++) out[j] = table[col[idx[j]!]!] ?? outside;
      return out;
    };
  }
  return numericMask(c, cols[c.field]);
}

function compileNode(c: Condition, pool: ApplicantPool, cache?: MaskCache): MaskFn {
  if ("field" in c) return leafMask(c, pool);
  const own = buffer();
  if ("not" in c) {
    const inner = compileMask(c.not, pool, cache);
    return (idx, n) => {
      const m = inner(idx, n);
      const out = own(n);
      for (let j = 0; j < n; j++) out[j] = m[j]! ^ 1;
      return out;
    };
  }
  if ("all" in c || "any" in c) {
    const parts = ("all" in c ? c.all : c.any).map((x) => compileMask(x, pool, cache));
    if (parts.length === 1) return parts[0]!;
    const conjunction = "all" in c;
    return (idx, n) => {
      const out = own(n);
      let prev = parts[0]!(idx, n);
      for (let k = 1; k < parts.length; k++) {
        const m = parts[k]!(idx, n);
        if (conjunction) for (let j = 0; j < n; j++) out[j] = prev[j]! & m[j]!;
        else for (let j = 0; j < n; j++) out[j] = prev[j]! | m[j]!;
        prev = out;
      }
      return out;
    };
  }
  const parts = c.of.map((x) => compileMask(x, pool, cache));
  const need = c.at_least;
  let count = new Uint16Array(0);
  return (idx, n) => {
    if (count.length < n) count = new Uint16Array(Math.max(n, 1024));
    count.fill(0, 0, n);
    for (const p of parts) {
      const m = p(idx, n);
      for (let j = 0; j < n; j++) count[j] = count[j]! + m[j]!;
    }
    const out = own(n);
    for (let j = 0; j < n; j++) out[j] = count[j]! >= need ? 1 : 0;
    return out;
  };
}

/** Compile a condition into a MaskFn; with a cache, identical (sub)conditions are computed once per generation. */
export function compileMask(c: Condition, pool: ApplicantPool, cache?: MaskCache): MaskFn {
  if (!cache) return compileNode(c, pool);
  const key = JSON.stringify(c);
  const known = cache.masks.get(key);
  if (known) return known;
  const raw = compileNode(c, pool, cache);
  let computedAt = -1;
  let result: Uint8Array = new Uint8Array(0);
  const fn: MaskFn = (idx, n) => {
    if (computedAt !== cache.generation) {
      result = raw(idx, n);
      computedAt = cache.generation;
    }
    return result;
  };
  cache.masks.set(key, fn);
  return fn;
}

/**
 * The masks of every condition of one rule set, computed together for one batch of applicants.
 *
 * Leaves become bits of per-applicant 32-bit words: every leaf on the same column (and word) is
 * answered by one pass over that column (a byte column through a 256-entry table of bits, a 16-bit code
 * column through a 65,536-entry table, a Float64 column by its few thresholds), so a column is read once
 * per batch however many conditions test it. An `all`/`any` of leaves sharing a word is then one pass
 * over the words ((w & M) === M, (w & M) !== 0); other nodes combine byte masks. Identical
 * (sub)conditions share one mask. Every step calls a kernel that sees one typed-array type only, so V8
 * keeps each loop monomorphic.
 */
export class MaskProgram {
  private readonly steps: Step[] = [];
  private readonly slots = new Map<string, Uint8Array>();
  private readonly leafBits = new Map<string, number>();
  private readonly groups = new Map<string, ColumnGroup>();
  private readonly words: Uint32Array[] = [];
  /** next free bit (word × 32 + position) */
  private nextBit = 0;
  /** the byte-column groups, four to a pass; built on the first run */
  private quads: ByteQuad[] | null = null;

  constructor(
    private readonly pool: ApplicantPool,
    /** the largest batch run() is called with */
    readonly capacity: number,
  ) {}

  /** The mask buffer that run() fills for condition c (shared by identical conditions). */
  add(c: Condition): Uint8Array {
    const key = JSON.stringify(c);
    const known = this.slots.get(key);
    if (known) return known;
    const out = this.compile(c);
    this.slots.set(key, out);
    return out;
  }

  /**
   * A per-applicant number that depends only on which of `conds` hold, read from a table: each leaf of
   * `conds` gets its own bit in one contiguous range of a word (leaves shared with other conditions are
   * simply written twice by the column pass), and value(holds) is tabulated for every assignment of
   * those leaves by evaluating the conditions on it, so the result is exactly what evaluating them
   * would give. Returns null when the range would be wider than LOOKUP_BITS (the caller then falls back
   * to masks). Read it after run() with table[(word[j] >>> shift) & mask].
   */
  addLookup(
    conds: readonly Condition[],
    value: (holds: boolean[]) => number,
    cacheKey?: object,
  ): Lookup | null {
    // The leaves and the table depend only on the conditions, not on the pool: with a cacheKey (the
    // rule-set object they come from, which never changes) they are worked out once per thread, not
    // once per scored pool (a replication scores a pool per quarter).
    const cached = cacheKey ? LOOKUP_PLANS.get(cacheKey) : undefined;
    const plan = cached ?? lookupPlan(conds, value);
    if (cacheKey && !cached) LOOKUP_PLANS.set(cacheKey, plan);
    if (!plan) return null;
    const k = plan.leaves.length;
    if (this.nextBit === 0 || (this.nextBit & 31) + k > 32) this.nextBit = this.words.length * 32;
    const start = this.nextBit;
    if (start >>> 5 === this.words.length) this.words.push(new Uint32Array(Math.max(this.capacity, 1)));
    this.nextBit = start + k;
    for (let q = 0; q < k; q++) this.addLeafAt(plan.leaves[q]!, start + q);
    return { word: this.words[start >>> 5]!, shift: start & 31, mask: (1 << k) - 1, table: plan.table };
  }

  /** Computes every mask for applicants idx[0..n). */
  run(idx: Int32Array, n: number): void {
    for (const w of this.words) w.fill(0, 0, n);
    if (!this.quads) this.quads = byteQuads([...this.groups.values()]);
    for (const q of this.quads) bitsOfFourBytes(q.cols, q.luts, idx, n, q.word);
    for (const g of this.groups.values()) {
      switch (g.kind) {
        case GROUP_CODE:
          bitsOfCodes(g.col, g.lut, idx, n, g.word);
          break;
        case GROUP_F64:
          bitsOfFloats(g.col, g.ops, g.thresholds, g.bits, idx, n, g.word);
          break;
      }
    }
    const steps = this.steps;
    for (let s = 0; s < steps.length; s++) {
      const st = steps[s]!;
      switch (st.kind) {
        case STEP_BIT:
          bitMask(st.word, st.bit, n, st.out);
          break;
        case STEP_WORD_ALL:
          wordAll(st.word, st.bits, n, st.out);
          break;
        case STEP_WORD_ANY:
          wordAny(st.word, st.bits, n, st.out);
          break;
        case STEP_AND:
          andMasks(st.a, st.b, n, st.out);
          break;
        case STEP_OR:
          orMasks(st.a, st.b, n, st.out);
          break;
        case STEP_NOT:
          notMask(st.a, n, st.out);
          break;
        case STEP_AT_LEAST:
          atLeast(st.parts, st.need, n, st.count, st.out);
          break;
      }
    }
  }

  private buffer(): Uint8Array {
    return new Uint8Array(Math.max(this.capacity, 1));
  }

  private compile(c: Condition): Uint8Array {
    if ("field" in c) {
      const bit = this.leafBit(c);
      const out = this.buffer();
      this.steps.push({ kind: STEP_BIT, word: this.words[bit >>> 5]!, bit: bit & 31, out });
      return out;
    }
    if ("not" in c) {
      const a = this.add(c.not);
      const out = this.buffer();
      this.steps.push({ kind: STEP_NOT, a, out });
      return out;
    }
    if ("all" in c || "any" in c) {
      const list = "all" in c ? c.all : c.any;
      if (list.length === 1) return this.add(list[0]!);
      const kind = "all" in c ? STEP_AND : STEP_OR;
      if (list.every((x) => "field" in x)) {
        const bits = list.map((x) => this.leafBit(x as Comparison));
        const word = bits[0]! >>> 5;
        if (bits.every((b) => b >>> 5 === word)) {
          const mask = bits.reduce((m, b) => m | (1 << (b & 31)), 0);
          const out = this.buffer();
          this.steps.push({
            kind: kind === STEP_AND ? STEP_WORD_ALL : STEP_WORD_ANY,
            word: this.words[word]!,
            bits: mask,
            out,
          });
          return out;
        }
      }
      const parts = list.map((x) => this.add(x));
      const out = this.buffer();
      this.steps.push({ kind, a: parts[0]!, b: parts[1]!, out });
      for (let k = 2; k < parts.length; k++) this.steps.push({ kind, a: out, b: parts[k]!, out });
      return out;
    }
    const parts = c.of.map((x) => this.add(x));
    const out = this.buffer();
    this.steps.push({
      kind: STEP_AT_LEAST,
      parts,
      need: c.at_least,
      count: new Uint16Array(out.length),
      out,
    });
    return out;
  }

  /** The bit (word × 32 + position) that holds leaf c for masks, added to its column's group on first use. */
  private leafBit(c: Comparison): number {
    const key = JSON.stringify(c);
    const known = this.leafBits.get(key);
    if (known !== undefined) return known;
    if (this.nextBit === 0 || (this.nextBit & 31) === 0) this.nextBit = this.words.length * 32;
    const bit = this.nextBit++;
    if (bit >>> 5 === this.words.length) this.words.push(new Uint32Array(Math.max(this.capacity, 1)));
    this.leafBits.set(key, bit);
    this.addLeafAt(c, bit);
    return bit;
  }

  /** Makes the column pass of c's field set `bit` wherever c holds. */
  private addLeafAt(c: Comparison, bit: number): void {
    this.quads = null;
    const word = this.words[bit >>> 5]!;
    const flag = 1 << (bit & 31);
    const col: Column = this.pool.columns[c.field];
    const groupKey = `${c.field}|${bit >>> 5}`;
    let g = this.groups.get(groupKey);
    if (col instanceof Float64Array) {
      if ("is" in c || "in" in c || "not_in" in c)
        throw new Error(`condition on ${c.field}: unexpected Float64 column`);
      if (!g) {
        g = {
          kind: GROUP_F64,
          col,
          ops: new Int32Array(0),
          thresholds: new Float64Array(0),
          bits: new Int32Array(0),
          word,
        };
        this.groups.set(groupKey, g);
      }
      if (g.kind !== GROUP_F64) throw new Error(`condition on ${c.field}: column type changed`);
      const op = opOf(c);
      const t = thresholdOf(c);
      const thresholds = g.thresholds;
      const same = [...g.ops].findIndex((o, q) => o === op && Object.is(thresholds[q], t));
      if (same >= 0) g.bits[same] = g.bits[same]! | flag;
      else {
        g.ops = Int32Array.from([...g.ops, op]);
        g.thresholds = Float64Array.from([...g.thresholds, t]);
        g.bits = Int32Array.from([...g.bits, flag]);
      }
      return;
    }
    if (col instanceof Uint8Array) {
      if (!g) {
        g = { kind: GROUP_BYTE, col, lut: new Uint32Array(256), word };
        this.groups.set(groupKey, g);
      }
      if (g.kind !== GROUP_BYTE) throw new Error(`condition on ${c.field}: column type changed`);
      setWhereHolds(g.lut, flag, c, this.pool);
      return;
    }
    if (col instanceof Uint16Array) {
      if (!g) {
        g = { kind: GROUP_CODE, col, lut: new Uint32Array(65536), word };
        this.groups.set(groupKey, g);
      }
      if (g.kind !== GROUP_CODE) throw new Error(`condition on ${c.field}: column type changed`);
      setWhereHolds(g.lut, flag, c, this.pool);
      return;
    }
    throw new Error(`condition on ${c.field}: unexpected column type`);
  }
}

/** Widest leaf range of a lookup: its table has 2^LOOKUP_BITS entries. */
const LOOKUP_BITS = 12;

/** A number per applicant read from a table indexed by a range of bits of a word (see addLookup). */
export interface Lookup {
  word: Uint32Array;
  shift: number;
  mask: number;
  table: Float64Array;
}

interface LookupPlan {
  /** the distinct leaves, in bit order */
  leaves: Comparison[];
  /** value for every assignment of the leaves' truth (bit q = leaves[q] holds) */
  table: Float64Array;
}

const LOOKUP_PLANS = new WeakMap<object, LookupPlan | null>();

/** The leaves of `conds` and the tabulated value (null when there are more than LOOKUP_BITS leaves). */
function lookupPlan(conds: readonly Condition[], value: (holds: boolean[]) => number): LookupPlan | null {
  const found = new Map<string, Comparison>();
  for (const c of conds) collectLeaves(c, found);
  if (found.size > LOOKUP_BITS) return null;
  const position = new Map<string, number>();
  let q = 0;
  for (const key of found.keys()) position.set(key, q++);
  const tests = conds.map((c) => holdsWith(c, position));
  const table = new Float64Array(1 << found.size);
  for (let a = 0; a < table.length; a++) table[a] = value(tests.map((t) => t(a)));
  return { leaves: [...found.values()], table };
}

function collectLeaves(c: Condition, into: Map<string, Comparison>): void {
  if ("field" in c) into.set(JSON.stringify(c), c);
  else if ("not" in c) collectLeaves(c.not, into);
  else for (const x of "all" in c ? c.all : "any" in c ? c.any : c.of) collectLeaves(x, into);
}

/**
 * Condition c as a test of an assignment of its leaves (bit position[leaf] of a): the same connectives
 * as evaluateCondition, so the same answer whenever the leaves' truth is the same.
 */
function holdsWith(c: Condition, position: ReadonlyMap<string, number>): (a: number) => boolean {
  if ("field" in c) {
    const q = position.get(JSON.stringify(c))!;
    return (a) => ((a >>> q) & 1) === 1;
  }
  if ("not" in c) {
    const inner = holdsWith(c.not, position);
    return (a) => !inner(a);
  }
  if ("all" in c) {
    const parts = c.all.map((x) => holdsWith(x, position));
    return (a) => parts.every((p) => p(a));
  }
  if ("any" in c) {
    const parts = c.any.map((x) => holdsWith(x, position));
    return (a) => parts.some((p) => p(a));
  }
  const parts = c.of.map((x) => holdsWith(x, position));
  const need = c.at_least;
  return (a) => {
    let n = 0;
    for (const p of parts) if (p(a) && ++n >= need) return true;
    return false;
  };
}

/**
 * Sets `flag` in lut[v] for every column value v (a code for categorical fields) where leaf c holds, as
 * evaluateCondition tests it. One plain loop per kind of leaf: a 16-bit column's table has 65,536
 * entries and a pool is scored once per quarter, so a test closure called per entry was a twentieth
 * of a baseline replication.
 */
function setWhereHolds(lut: Uint32Array, flag: number, c: Comparison, pool: ApplicantPool): void {
  const size = lut.length;
  if ("is" in c) {
    const want = c.is ? 1 : 0;
    lut[want] = lut[want]! | flag;
    return;
  }
  if ("in" in c || "not_in" in c) {
    const table = codeTable(pool, c.field, "in" in c ? c.in : c.not_in);
    const inside = "in" in c ? 1 : 0;
    const known = Math.min(table.length, size);
    for (let v = 0; v < known; v++) if (table[v] === inside) lut[v] = lut[v]! | flag;
    // codes beyond the table are in no list: they hold for not_in only
    if (inside === 0) for (let v = known; v < size; v++) lut[v] = lut[v]! | flag;
    return;
  }
  const op = opOf(c);
  const t = thresholdOf(c);
  for (let v = 0; v < size; v++) if (compare(op, t, v)) lut[v] = lut[v]! | flag;
}

const GROUP_BYTE = 0;
const GROUP_CODE = 1;
const GROUP_F64 = 2;

type ColumnGroup =
  | { kind: typeof GROUP_BYTE; col: Uint8Array; lut: Uint32Array; word: Uint32Array }
  | { kind: typeof GROUP_CODE; col: Uint16Array; lut: Uint32Array; word: Uint32Array }
  | {
      kind: typeof GROUP_F64;
      col: Float64Array;
      ops: Int32Array;
      thresholds: Float64Array;
      bits: Int32Array;
      word: Uint32Array;
    };

const OP_GTE = 0;
const OP_GT = 1;
const OP_LTE = 2;
const OP_LT = 3;
const OP_EQ = 4;

function opOf(c: Comparison): number {
  if ("gte" in c) return OP_GTE;
  if ("gt" in c) return OP_GT;
  if ("lte" in c) return OP_LTE;
  if ("lt" in c) return OP_LT;
  return OP_EQ;
}

function thresholdOf(c: Comparison): number {
  if ("gte" in c) return c.gte;
  if ("gt" in c) return c.gt;
  if ("lte" in c) return c.lte;
  if ("lt" in c) return c.lt;
  return (c as { eq: number }).eq;
}

function compare(op: number, t: number, v: number): boolean {
  if (op === OP_GTE) return v >= t;
  if (op === OP_GT) return v > t;
  if (op === OP_LTE) return v <= t;
  if (op === OP_LT) return v < t;
  return v === t;
}

const STEP_BIT = 0;
const STEP_WORD_ALL = 1;
const STEP_WORD_ANY = 2;
const STEP_AND = 4;
const STEP_OR = 5;
const STEP_NOT = 6;
const STEP_AT_LEAST = 7;

type Step =
  | { kind: typeof STEP_BIT; word: Uint32Array; bit: number; out: Uint8Array }
  | { kind: typeof STEP_WORD_ALL | typeof STEP_WORD_ANY; word: Uint32Array; bits: number; out: Uint8Array }
  | { kind: typeof STEP_AND | typeof STEP_OR; a: Uint8Array; b: Uint8Array; out: Uint8Array }
  | { kind: typeof STEP_NOT; a: Uint8Array; out: Uint8Array }
  | { kind: typeof STEP_AT_LEAST; parts: Uint8Array[]; need: number; count: Uint16Array; out: Uint8Array };

/** Four byte columns of one word; a short last quad repeats a column with a table of zeros. */
interface ByteQuad {
  word: Uint32Array;
  cols: [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  luts: [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
}

function byteQuads(groups: ColumnGroup[]): ByteQuad[] {
  const byWord = new Map<Uint32Array, { col: Uint8Array; lut: Uint32Array }[]>();
  for (const g of groups) {
    if (g.kind !== GROUP_BYTE) continue;
    const list = byWord.get(g.word) ?? [];
    list.push({ col: g.col, lut: g.lut });
    byWord.set(g.word, list);
  }
  const zeros = new Uint32Array(256);
  const quads: ByteQuad[] = [];
  for (const [word, list] of byWord) {
    for (let k = 0; k < list.length; k += 4) {
      const at = (q: number) => list[k + q] ?? { col: list[k]!.col, lut: zeros };
      const four = [at(0), at(1), at(2), at(3)];
      quads.push({
        word,
        cols: [four[0]!.col, four[1]!.col, four[2]!.col, four[3]!.col],
        luts: [four[0]!.lut, four[1]!.lut, four[2]!.lut, four[3]!.lut],
      });
    }
  }
  return quads;
}

/** One pass for four columns: the loop overhead and the word's load and store are shared. */
function bitsOfFourBytes(
  cols: ByteQuad["cols"],
  luts: ByteQuad["luts"],
  idx: Int32Array,
  n: number,
  w: Uint32Array,
): void {
  const [a, b, c, d] = cols;
  const [la, lb, lc, ld] = luts;
  for (let j = 0; j < n; j++) {
    const i = idx[j]!;
    w[j] = w[j]! | la[a[i]!]! | lb[b[i]!]! | lc[c[i]!]! | ld[d[i]!]!;
  }
}

function bitsOfCodes(col: Uint16Array, lut: Uint32Array, idx: Int32Array, n: number, w: Uint32Array): void {
  for (let j = 0; j < n; j++) w[j] = w[j]! | lut[col[idx[j]!]!]!;
}

function bitsOfFloats(
  col: Float64Array,
  ops: Int32Array,
  thresholds: Float64Array,
  bits: Int32Array,
  idx: Int32Array,
  n: number,
  w: Uint32Array,
): void {
  const k = ops.length;
  if (k === 1 && ops[0] === OP_GTE) {
    const t = thresholds[0]!;
    const b = bits[0]!;
    for (let j = 0; j < n; j++) if (col[idx[j]!]! >= t) w[j] = w[j]! | b;
    return;
  }
  if (k <= 4 && ops.every((op) => op === OP_GTE)) {
    // unused slots test NaN (never true) and set no bit anyway
    const [t0, t1, t2, t3] = [0, 1, 2, 3].map((q) => (q < k ? thresholds[q]! : Number.NaN)) as [
      number,
      number,
      number,
      number,
    ];
    const [b0, b1, b2, b3] = [0, 1, 2, 3].map((q) => (q < k ? bits[q]! : 0)) as [
      number,
      number,
      number,
      number,
    ];
    for (let j = 0; j < n; j++) {
      const v = col[idx[j]!]!;
      w[j] = w[j]! | (v >= t0 ? b0 : 0) | (v >= t1 ? b1 : 0) | (v >= t2 ? b2 : 0) | (v >= t3 ? b3 : 0);
    }
    return;
  }
  if (ops.every((op) => op === OP_GTE)) {
    for (let j = 0; j < n; j++) {
      const v = col[idx[j]!]!;
      let x = 0;
      for (let q = 0; q < k; q++) if (v >= thresholds[q]!) x |= bits[q]!;
      w[j] = w[j]! | x;
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    const v = col[idx[j]!]!;
    let x = 0;
    for (let q = 0; q < k; q++) if (compare(ops[q]!, thresholds[q]!, v)) x |= bits[q]!;
    w[j] = w[j]! | x;
  }
}

function bitMask(w: Uint32Array, bit: number, n: number, out: Uint8Array): void {
  for (let j = 0; j < n; j++) out[j] = (w[j]! >>> bit) & 1;
}

function wordAll(w: Uint32Array, bits: number, n: number, out: Uint8Array): void {
  for (let j = 0; j < n; j++) out[j] = (w[j]! & bits) === bits ? 1 : 0;
}

function wordAny(w: Uint32Array, bits: number, n: number, out: Uint8Array): void {
  for (let j = 0; j < n; j++) out[j] = (w[j]! & bits) !== 0 ? 1 : 0;
}

function andMasks(a: Uint8Array, b: Uint8Array, n: number, out: Uint8Array): void {
  for (let j = 0; j < n; j++) out[j] = a[j]! & b[j]!;
}

function orMasks(a: Uint8Array, b: Uint8Array, n: number, out: Uint8Array): void {
  for (let j = 0; j < n; j++) out[j] = a[j]! | b[j]!;
}

function notMask(a: Uint8Array, n: number, out: Uint8Array): void {
  for (let j = 0; j < n; j++) out[j] = a[j]! ^ 1;
}

function atLeast(parts: Uint8Array[], need: number, n: number, count: Uint16Array, out: Uint8Array): void {
  count.fill(0, 0, n);
  for (let k = 0; k < parts.length; k++) {
    const m = parts[k]!;
    for (let j = 0; j < n; j++) count[j] = count[j]! + m[j]!;
  }
  for (let j = 0; j < n; j++) out[j] = count[j]! >= need ? 1 : 0;
}
