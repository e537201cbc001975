import {
  ACHIEVEMENTS,
  APPLICANT_COLUMNS,
  BOOLEAN_FIELDS,
  type CategoricalField,
  NUMERIC_FIELDS,
  SEXES,
} from "../applicants/record.js";
import type { Comparison, Condition } from "./types.js";

/**
 * Conditions as unions of "boxes" (disjunctive normal form): a box is a conjunction of one interval per
 * numeric field, one value per boolean field and one set per text field. Boxes make two load-time
 * checks decidable for the conditions rule sets use: a condition that can never hold (every box is
 * empty), and a ladder rung that can never win (each of its boxes lies inside an earlier rung's box).
 * The check is sound, not complete: when it cannot decide (too many boxes) it says nothing.
 */

interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

/** allow = null: any value except those in deny (text fields with an open vocabulary). */
interface TextSet {
  allow: Set<string> | null;
  deny: Set<string>;
}

export interface Box {
  num: Map<string, Interval>;
  bool: Map<string, boolean>;
  text: Map<string, TextSet>;
}

const MAX_BOXES = 512;
const NUMERIC = new Set<string>(NUMERIC_FIELDS);
const BOOLEAN = new Set<string>(BOOLEAN_FIELDS);
const INTEGER = new Set<string>(APPLICANT_COLUMNS.filter((c) => c.type === "integer").map((c) => c.name));
const FINITE_TEXT: Partial<Record<CategoricalField, readonly string[]>> = {
  sex: SEXES,
  achievement: ACHIEVEMENTS,
};

function domainOf(field: string): Interval {
  const spec = APPLICANT_COLUMNS.find((c) => c.name === field);
  return { lo: spec?.min ?? 0, loOpen: false, hi: spec?.max ?? Number.POSITIVE_INFINITY, hiOpen: false };
}

/** Closed bounds after integer rounding (integer fields can only take whole values). */
function tight(field: string, iv: Interval): Interval {
  if (!INTEGER.has(field)) return iv;
  const lo = iv.loOpen ? Math.floor(iv.lo) + 1 : Math.ceil(iv.lo);
  const hi = iv.hiOpen ? Math.ceil(iv.hi) - 1 : Math.floor(iv.hi);
  return { lo, loOpen: false, hi, hiOpen: false };
}

function intervalEmpty(field: string, iv: Interval): boolean {
  const t = tight(field, iv);
  return t.lo > t.hi || (t.lo === t.hi && (t.loOpen || t.hiOpen));
}

function intersectInterval(a: Interval, b: Interval): Interval {
  const lo = a.lo > b.lo ? a : a.lo < b.lo ? b : { lo: a.lo, loOpen: a.loOpen || b.loOpen };
  const hi = a.hi < b.hi ? a : a.hi > b.hi ? b : { hi: a.hi, hiOpen: a.hiOpen || b.hiOpen };
  return { lo: lo.lo, loOpen: lo.loOpen, hi: hi.hi, hiOpen: hi.hiOpen };
}

function emptyBox(): Box {
  return { num: new Map(), bool: new Map(), text: new Map() };
}

function textSet(field: string, values: string[], negate: boolean): TextSet {
  const finite = FINITE_TEXT[field as CategoricalField];
  if (finite) {
    const allow = new Set(
      negate ? finite.filter((v) => !values.includes(v)) : values.filter((v) => finite.includes(v)),
    );
    return { allow, deny: new Set() };
  }
  return negate ? { allow: null, deny: new Set(values) } : { allow: new Set(values), deny: new Set() };
}

function leafBox(c: Comparison, negate: boolean): Box[] {
  const box = emptyBox();
  const f = c.field;
  if ("is" in c) {
    box.bool.set(f, negate ? !c.is : c.is);
    return [box];
  }
  if ("in" in c) {
    box.text.set(f, textSet(f, c.in, negate));
    return [box];
  }
  if ("not_in" in c) {
    box.text.set(f, textSet(f, c.not_in, !negate));
    return [box];
  }
  const inf = Number.POSITIVE_INFINITY;
  const ivs: Interval[] = [];
  if ("eq" in c) {
    if (negate)
      ivs.push(
        { lo: -inf, loOpen: false, hi: c.eq, hiOpen: true },
        { lo: c.eq, loOpen: true, hi: inf, hiOpen: false },
      );
    else ivs.push({ lo: c.eq, loOpen: false, hi: c.eq, hiOpen: false });
  } else if ("gte" in c)
    ivs.push(
      negate
        ? { lo: -inf, loOpen: false, hi: c.gte, hiOpen: true }
        : { lo: c.gte, loOpen: false, hi: inf, hiOpen: false },
    );
  else if ("gt" in c)
    ivs.push(
      negate
        ? { lo: -inf, loOpen: false, hi: c.gt, hiOpen: false }
        : { lo: c.gt, loOpen: true, hi: inf, hiOpen: false },
    );
  else if ("lte" in c)
    ivs.push(
      negate
        ? { lo: c.lte, loOpen: true, hi: inf, hiOpen: false }
        : { lo: -inf, loOpen: false, hi: c.lte, hiOpen: false },
    );
  else
    ivs.push(
      negate
        ? { lo: c.lt, loOpen: false, hi: inf, hiOpen: false }
        : { lo: -inf, loOpen: false, hi: c.lt, hiOpen: true },
    );
  return ivs.map((iv) => {
    const b = emptyBox();
    b.num.set(f, intersectInterval(iv, domainOf(f)));
    return b;
  });
}

function intersectText(a: TextSet, b: TextSet): TextSet {
  const deny = new Set([...a.deny, ...b.deny]);
  let allow: Set<string> | null;
  if (a.allow && b.allow) allow = new Set([...a.allow].filter((v) => b.allow!.has(v)));
  else allow = a.allow ?? b.allow;
  if (allow) {
    allow = new Set([...allow].filter((v) => !deny.has(v)));
    return { allow, deny: new Set() };
  }
  return { allow: null, deny };
}

function intersectBoxes(a: Box, b: Box): Box {
  const out: Box = { num: new Map(a.num), bool: new Map(a.bool), text: new Map(a.text) };
  for (const [f, iv] of b.num) out.num.set(f, out.num.has(f) ? intersectInterval(out.num.get(f)!, iv) : iv);
  for (const [f, v] of b.bool) {
    const prev = out.bool.get(f);
    // A conflicting boolean makes the box empty: mark it with an impossible interval.
    if (prev !== undefined && prev !== v)
      out.num.set("__conflict", { lo: 1, loOpen: false, hi: 0, hiOpen: false });
    out.bool.set(f, v);
  }
  for (const [f, t] of b.text) out.text.set(f, out.text.has(f) ? intersectText(out.text.get(f)!, t) : t);
  return out;
}

export function isEmptyBox(box: Box): boolean {
  for (const [f, iv] of box.num) if (intervalEmpty(f, iv)) return true;
  for (const t of box.text.values()) if (t.allow && t.allow.size === 0) return true;
  return false;
}

function cross(parts: Box[][]): Box[] | null {
  let acc: Box[] = [emptyBox()];
  for (const p of parts) {
    if (acc.length * p.length > MAX_BOXES) return null;
    const next: Box[] = [];
    for (const a of acc)
      for (const b of p) {
        const x = intersectBoxes(a, b);
        if (!isEmptyBox(x)) next.push(x);
      }
    acc = next;
  }
  return acc;
}

function combinations<T>(items: T[], k: number): T[][] | null {
  const out: T[][] = [];
  const pick: T[] = [];
  const walk = (start: number): boolean => {
    if (pick.length === k) {
      out.push(pick.slice());
      return out.length <= MAX_BOXES;
    }
    for (let i = start; i < items.length; i++) {
      pick.push(items[i]!);
      if (!walk(i + 1)) return false;
      pick.pop();
    }
    return true;
  };
  return walk(0) ? out : null;
}

/** The non-empty boxes whose union is `c` (or its negation); null when too large to decide. */
export function toBoxes(c: Condition, negate = false): Box[] | null {
  if ("field" in c) return leafBox(c, negate).filter((b) => !isEmptyBox(b));
  if ("not" in c) return toBoxes(c.not, !negate);
  if ("all" in c || "any" in c) {
    const list = "all" in c ? c.all : c.any;
    const conjunctive = "all" in c !== negate;
    const parts: Box[][] = [];
    for (const x of list) {
      const b = toBoxes(x, negate);
      if (b === null) return null;
      parts.push(b);
    }
    if (conjunctive) return cross(parts);
    const flat = parts.flat();
    return flat.length > MAX_BOXES ? null : flat;
  }
  // at least k of n; its negation is "at least n-k+1 of the negations"
  const k = negate ? c.of.length - c.at_least + 1 : c.at_least;
  const combos = combinations(c.of, k);
  if (combos === null) return null;
  const out: Box[] = [];
  for (const combo of combos) {
    const parts: Box[][] = [];
    for (const x of combo) {
      const b = toBoxes(x, negate);
      if (b === null) return null;
      parts.push(b);
    }
    const boxes = cross(parts);
    if (boxes === null) return null;
    out.push(...boxes);
    if (out.length > MAX_BOXES) return null;
  }
  return out;
}

function intervalWithin(field: string, a: Interval, b: Interval): boolean {
  const x = tight(field, a);
  const y = tight(field, b);
  const loOk = x.lo > y.lo || (x.lo === y.lo && (!y.loOpen || x.loOpen));
  const hiOk = x.hi < y.hi || (x.hi === y.hi && (!y.hiOpen || x.hiOpen));
  return loOk && hiOk;
}

function textWithin(a: TextSet | undefined, b: TextSet): boolean {
  if (!a) return false;
  if (b.allow) return a.allow !== null && [...a.allow].every((v) => b.allow!.has(v));
  if (a.allow) return [...a.allow].every((v) => !b.deny.has(v));
  return [...b.deny].every((v) => a.deny.has(v));
}

/** Every applicant in box `a` is also in box `b`. */
export function boxWithin(a: Box, b: Box): boolean {
  for (const [f, iv] of b.num) {
    if (!intervalWithin(f, a.num.get(f) ?? domainOf(f), iv)) return false;
  }
  for (const [f, v] of b.bool) if (a.bool.get(f) !== v) return false;
  for (const [f, t] of b.text) if (!textWithin(a.text.get(f), t)) return false;
  return true;
}

/** True when `c` can never hold (false when undecided). */
export function neverHolds(c: Condition): boolean {
  const boxes = toBoxes(c);
  return boxes !== null && boxes.length === 0;
}

/**
 * Whether every applicant satisfying `c` satisfies one of `earlier` (sound: true only when proven).
 * Returns the index of the single earlier condition that covers `c` when there is one, -1 when
 * several together do, and null when not proven.
 */
export function impliedByEarlier(c: Condition, earlier: Condition[]): number | null {
  const boxes = toBoxes(c);
  if (boxes === null || boxes.length === 0) return null;
  const earlierBoxes = earlier.map((e) => toBoxes(e));
  for (let i = 0; i < earlierBoxes.length; i++) {
    const eb = earlierBoxes[i];
    if (eb && boxes.every((b) => eb.some((e) => boxWithin(b, e)))) return i;
  }
  const all = earlierBoxes.flatMap((e) => e ?? []);
  const covered = (b: Box) => splitOnBooleans(b, all).every((part) => all.some((e) => boxWithin(part, e)));
  return boxes.every(covered) ? -1 : null;
}

/**
 * A box cut into every combination of the boolean fields that `others` fix and it leaves open, so that
 * "chinese" is seen to be covered by "chinese and english" plus "chinese and not english".
 */
function splitOnBooleans(b: Box, others: Box[]): Box[] {
  const open = [...new Set(others.flatMap((o) => [...o.bool.keys()]))].filter((f) => !b.bool.has(f));
  if (open.length > 8) return [b];
  let parts = [b];
  for (const f of open) {
    parts = parts.flatMap((p) =>
      [true, false].map((v) => {
        const q: Box = { num: p.num, bool: new Map(p.bool), text: p.text };
        q.bool.set(f, v);
        return q;
      }),
    );
  }
  return parts;
}

export function isNumericField(f: string): boolean {
  return NUMERIC.has(f);
}

export function isBooleanField(f: string): boolean {
  return BOOLEAN.has(f);
}
