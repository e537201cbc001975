import type { ApplicantPool } from "../applicants/pool.js";
import { codeTable } from "./conditions.js";
import type { Comparison, Condition } from "./types.js";

/**
 * Conditions compiled for many applicants at once: a MaskFn fills out[j] = 1 when the condition holds
 * for applicant idx[j]. Each operator is one tight loop over a typed column, so the batch path runs at
 * memory speed instead of calling a closure per applicant per leaf (about 10x faster on 1M applicants).
 */
export type MaskFn = (idx: Int32Array, n: number, out: Uint8Array) => void;

type Column = Uint8Array | Uint16Array | Int32Array | Float64Array;

/**
 * Scratch masks by nesting depth, reused across calls: a node at depth d keeps its partial results in
 * buffer d while its children use deeper buffers, so evaluation allocates nothing per call. Safe
 * because evaluation is synchronous.
 */
const scratch: Uint8Array[] = [];
const counters: Uint16Array[] = [];

/** A reusable mask of at least `m` entries (only the first m are meaningful). */
export function scratchMask(depth: number, m: number): Uint8Array {
  let b = scratch[depth];
  if (b === undefined || b.length < m) {
    b = new Uint8Array(Math.max(m, 1024));
    while (scratch.length < depth) scratch.push(new Uint8Array(0));
    scratch[depth] = b;
  }
  return b;
}

function scratchCounter(depth: number, m: number): Uint16Array {
  let b = counters[depth];
  if (b === undefined || b.length < m) {
    b = new Uint16Array(Math.max(m, 1024));
    while (counters.length < depth) counters.push(new Uint16Array(0));
    counters[depth] = b;
  }
  return b;
}

function numericMask(c: Comparison, col: Column): MaskFn {
  if ("gte" in c) {
    const t = c.gte;
    return (idx, n, out) => {
      for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! >= t ? 1 : 0;
    };
  }
  if ("gt" in c) {
    const t = c.gt;
    return (idx, n, out) => {
      for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! > t ? 1 : 0;
    };
  }
  if ("lte" in c) {
    const t = c.lte;
    return (idx, n, out) => {
      for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! <= t ? 1 : 0;
    };
  }
  if ("lt" in c) {
    const t = c.lt;
    return (idx, n, out) => {
      for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! < t ? 1 : 0;
    };
  }
  const t = (c as { eq: number }).eq;
  return (idx, n, out) => {
    for (let j = 0; j < n; j++) out[j] = col[idx[j]!]! === t ? 1 : 0;
  };
}

function leafMask(c: Comparison, pool: ApplicantPool): MaskFn {
  const cols = pool.columns;
  if ("is" in c) {
    const col = cols[c.field];
    const want = c.is ? 1 : 0;
    return (idx, n, out) => {
      for (let j = 0; j < n; j++) out[j] = col[idx[j]!] === want ? 1 : 0;
    };
  }
  if ("in" in c || "not_in" in c) {
    const col: Column = cols[c.field];
    const table = codeTable(pool, c.field, "in" in c ? c.in : c.not_in);
    const outside = "in" in c ? 0 : 1;
    if ("not_in" in c) for (let k = 0; k < table.length; k++) table[k] = table[k] === 1 ? 0 : 1;
    return (idx, n, out) => {
      for (let j = 0; j < n; j++) out[j] = table[col[idx[j]!]!] ?? outside;
    };
  }
  return numericMask(c, cols[c.field]);
}

/** Depths 0 and 1 are reserved for callers (batch.ts); conditions use 2 and deeper. */
export function compileMask(c: Condition, pool: ApplicantPool, depth = 2): MaskFn {
  if ("field" in c) return leafMask(c, pool);
  if ("not" in c) {
    const inner = compileMask(c.not, pool, depth);
    return (idx, n, out) => {
      inner(idx, n, out);
      for (let j = 0; j < n; j++) out[j] = out[j]! ^ 1;
    };
  }
  if ("all" in c || "any" in c) {
    const parts = ("all" in c ? c.all : c.any).map((x) => compileMask(x, pool, depth + 1));
    const first = parts[0]!;
    const rest = parts.slice(1);
    const conjunction = "all" in c;
    return (idx, n, out) => {
      first(idx, n, out);
      if (rest.length === 0) return;
      const tmp = scratchMask(depth, n);
      for (const p of rest) {
        p(idx, n, tmp);
        if (conjunction) for (let j = 0; j < n; j++) out[j] = out[j]! & tmp[j]!;
        else for (let j = 0; j < n; j++) out[j] = out[j]! | tmp[j]!;
      }
    };
  }
  const parts = c.of.map((x) => compileMask(x, pool, depth + 1));
  const need = c.at_least;
  return (idx, n, out) => {
    const count = scratchCounter(depth, n);
    count.fill(0, 0, n);
    for (const p of parts) {
      p(idx, n, out);
      for (let j = 0; j < n; j++) count[j] = count[j]! + out[j]!;
    }
    for (let j = 0; j < n; j++) out[j] = count[j]! >= need ? 1 : 0;
  };
}
