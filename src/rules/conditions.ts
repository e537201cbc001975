import type { ApplicantPool } from "../applicants/pool.js";
import { ACHIEVEMENTS, type Applicant, type CategoricalField, SEXES } from "../applicants/record.js";
import type { Comparison, Condition } from "./types.js";

/**
 * Conditions are data; here they are evaluated on one applicant record, or compiled once into a
 * predicate over a pool's typed columns (closures, no code generation).
 */

function compareNumber(c: Comparison, v: number): boolean {
  if ("gte" in c) return v >= c.gte;
  if ("gt" in c) return v > c.gt;
  if ("lte" in c) return v <= c.lte;
  if ("lt" in c) return v < c.lt;
  if ("eq" in c) return v === c.eq;
  return false;
}

export function evaluateCondition(c: Condition, a: Applicant): boolean {
  if ("field" in c) {
    if ("is" in c) return a[c.field] === c.is;
    if ("in" in c) return c.in.includes(a[c.field]);
    if ("not_in" in c) return !c.not_in.includes(a[c.field]);
    return compareNumber(c, a[c.field]);
  }
  if ("all" in c) return c.all.every((x) => evaluateCondition(x, a));
  if ("any" in c) return c.any.some((x) => evaluateCondition(x, a));
  if ("not" in c) return !evaluateCondition(c.not, a);
  let n = 0;
  for (const x of c.of) if (evaluateCondition(x, a) && ++n >= c.at_least) return true;
  return false;
}

export type Predicate = (i: number) => boolean;

type NumberColumn = { readonly [i: number]: number; readonly length: number };

/** 1 at every dictionary code whose text is in `values`. */
export function codeTable(
  pool: ApplicantPool,
  field: CategoricalField,
  values: readonly string[],
): Uint8Array {
  const dict: readonly string[] =
    field === "sex"
      ? SEXES
      : field === "achievement"
        ? ACHIEVEMENTS
        : pool.dictionaries[field as "region" | "sector" | "profession"];
  const table = new Uint8Array(dict.length + 1);
  dict.forEach((text, code) => {
    if (values.includes(text)) table[code] = 1;
  });
  return table;
}

function compileNumeric(c: Comparison, col: NumberColumn): Predicate {
  if ("gte" in c) {
    const t = c.gte;
    return (i) => col[i]! >= t;
  }
  if ("gt" in c) {
    const t = c.gt;
    return (i) => col[i]! > t;
  }
  if ("lte" in c) {
    const t = c.lte;
    return (i) => col[i]! <= t;
  }
  if ("lt" in c) {
    const t = c.lt;
    return (i) => col[i]! < t;
  }
  const t = (c as { eq: number }).eq;
  return (i) => col[i]! === t;
}

function compileLeaf(c: Comparison, pool: ApplicantPool): Predicate {
  const cols = pool.columns;
  if ("is" in c) {
    const col = cols[c.field];
    const want = c.is ? 1 : 0;
    return (i) => col[i] === want;
  }
  if ("in" in c || "not_in" in c) {
    const col = cols[c.field];
    const table = codeTable(pool, c.field, "in" in c ? c.in : c.not_in);
    if ("in" in c) return (i) => table[col[i]!] === 1;
    return (i) => table[col[i]!] !== 1;
  }
  return compileNumeric(c, cols[c.field]);
}

/** A predicate over pool indices equivalent to evaluateCondition(c, applicantAt(pool, i)). */
export function compileCondition(c: Condition, pool: ApplicantPool): Predicate {
  if ("field" in c) return compileLeaf(c, pool);
  if ("not" in c) {
    const p = compileCondition(c.not, pool);
    return (i) => !p(i);
  }
  if ("all" in c || "any" in c) {
    const parts = ("all" in c ? c.all : c.any).map((x) => compileCondition(x, pool));
    if (parts.length === 1) return parts[0]!;
    if (parts.length === 2) {
      const [p, q] = parts as [Predicate, Predicate];
      return "all" in c ? (i) => p(i) && q(i) : (i) => p(i) || q(i);
    }
    if ("all" in c) {
      return (i) => {
        for (const p of parts) if (!p(i)) return false;
        return true;
      };
    }
    return (i) => {
      for (const p of parts) if (p(i)) return true;
      return false;
    };
  }
  const parts = c.of.map((x) => compileCondition(x, pool));
  const need = c.at_least;
  return (i) => {
    let n = 0;
    for (const p of parts) if (p(i) && ++n >= need) return true;
    return false;
  };
}
