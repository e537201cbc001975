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
 * The masks of every condition of one rule set, computed together for one batch of applicants: each
 * distinct (sub)condition gets one mask slot, computed once per batch by a flat list of steps. A leaf
 * over a byte column is a 256-entry lookup table (any comparison, `is`, `in`, `not_in`), a leaf over a
 * 16-bit code column a 65,536-entry table, a leaf over a Float64 column one comparison loop; all, any,
 * not and at_least combine masks bytewise. Every step calls a kernel that sees one typed-array type only,
 * so V8 keeps each loop monomorphic (closures shared across column types were the old batch path's cost).
 */
export class MaskProgram {
  private readonly steps: Step[] = [];
  private readonly slots = new Map<string, Uint8Array>();

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

  /** Computes every mask for applicants idx[0..n). */
  run(idx: Int32Array, n: number): void {
    const steps = this.steps;
    for (let s = 0; s < steps.length; s++) {
      const st = steps[s]!;
      switch (st.kind) {
        case STEP_LUT8:
          lut8(st.col, st.lut, idx, n, st.out);
          break;
        case STEP_LUT16:
          lut16(st.col, st.lut, idx, n, st.out);
          break;
        case STEP_F64:
          compareF64(st.col, st.op, st.t, idx, n, st.out);
          break;
        case STEP_NUMBER:
          compareAny(st.col, st.op, st.t, idx, n, st.out);
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
    if ("field" in c) return this.leaf(c);
    if ("not" in c) {
      const a = this.add(c.not);
      const out = this.buffer();
      this.steps.push({ kind: STEP_NOT, a, out });
      return out;
    }
    if ("all" in c || "any" in c) {
      const parts = ("all" in c ? c.all : c.any).map((x) => this.add(x));
      if (parts.length === 1) return parts[0]!;
      const kind = "all" in c ? STEP_AND : STEP_OR;
      const out = this.buffer();
      this.steps.push({ kind, a: parts[0]!, b: parts[1]!, out });
      for (let k = 2; k < parts.length; k++) this.steps.push({ kind, a: out, b: parts[k]!, out });
      return out;
    }
    const parts = c.of.map((x) => this.add(x));
    const out = this.buffer();
    this.steps.push({ kind: STEP_AT_LEAST, parts, need: c.at_least, count: new Uint16Array(out.length), out });
    return out;
  }

  private leaf(c: Comparison): Uint8Array {
    const col: Column = this.pool.columns[c.field];
    const out = this.buffer();
    // value → 0/1 for every value a table can index; the same tests as evaluateCondition
    let test: (v: number) => boolean;
    if ("is" in c) {
      const want = c.is ? 1 : 0;
      test = (v) => v === want;
    } else if ("in" in c || "not_in" in c) {
      const table = codeTable(this.pool, c.field, "in" in c ? c.in : c.not_in);
      const member = (v: number): boolean => v < table.length && table[v] === 1;
      test = "in" in c ? member : (v) => !member(v);
    } else {
      const op = opOf(c);
      const t = thresholdOf(c);
      if (col instanceof Float64Array) {
        this.steps.push({ kind: STEP_F64, col, op, t, out });
        return out;
      }
      test = (v) => compare(op, t, v);
      if (!(col instanceof Uint8Array || col instanceof Uint16Array)) {
        this.steps.push({ kind: STEP_NUMBER, col, op, t, out });
        return out;
      }
    }
    if (col instanceof Uint8Array) {
      const lut = new Uint8Array(256);
      for (let v = 0; v < 256; v++) lut[v] = test(v) ? 1 : 0;
      this.steps.push({ kind: STEP_LUT8, col, lut, out });
    } else if (col instanceof Uint16Array) {
      const lut = new Uint8Array(65536);
      for (let v = 0; v < 65536; v++) lut[v] = test(v) ? 1 : 0;
      this.steps.push({ kind: STEP_LUT16, col, lut, out });
    } else {
      throw new Error(`condition on ${c.field}: unexpected column type`);
    }
    return out;
  }
}

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

const STEP_LUT8 = 0;
const STEP_LUT16 = 1;
const STEP_F64 = 2;
const STEP_NUMBER = 3;
const STEP_AND = 4;
const STEP_OR = 5;
const STEP_NOT = 6;
const STEP_AT_LEAST = 7;

type Step =
  | { kind: typeof STEP_LUT8; col: Uint8Array; lut: Uint8Array; out: Uint8Array }
  | { kind: typeof STEP_LUT16; col: Uint16Array; lut: Uint8Array; out: Uint8Array }
  | { kind: typeof STEP_F64; col: Float64Array; op: number; t: number; out: Uint8Array }
  | { kind: typeof STEP_NUMBER; col: Column; op: number; t: number; out: Uint8Array }
  | { kind: typeof STEP_AND | typeof STEP_OR; a: Uint8Array; b: Uint8Array; out: Uint8Array }
  | { kind: typeof STEP_NOT; a: Uint8Array; out: Uint8Array }
  | { kind: typeof STEP_AT_LEAST; parts: Uint8Array[]; need: number; count: Uint16Array; out: Uint8Array };

function lut8(col: Uint8Array, lut: Uint8Array, idx: Int32Array, n: number, out: Uint8Array): void {
  for (let j = 0; j < n; j++) out[j] = lut[col[idx[j]!]!]!;
}

function lut16(col: Uint16Array, lut: Uint8Array, idx: Int32Array, n: number, out: Uint8Array): void {
  for (let j = 0; j < n; j++) out[j] = lut[col[idx[j]!]!]!;
}

function compareF64(col: Float64Array, op: number, t: number, idx: Int32Array, n: number, out: Uint8Array): void {
  if (op === OP_GTE) for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! >= t ? 1 : 0;
  else if (op === OP_GT) for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! > t ? 1 : 0;
  else if (op === OP_LTE) for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! <= t ? 1 : 0;
  else if (op === OP_LT) for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! < t ? 1 : 0;
  else for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! === t ? 1 : 0;
}

function compareAny(col: Column, op: number, t: number, idx: Int32Array, n: number, out: Uint8Array): void {
  for (let j = 0; j < n; j++) out[j] = compare(op, t, col[idx[j]!]!) ? 1 : 0;
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
