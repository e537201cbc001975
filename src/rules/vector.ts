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
