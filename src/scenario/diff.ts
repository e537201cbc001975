import { elementName, formatPath, type PathSegment } from "./overrides.js";

/**
 * Every value that differs between two resolved scenarios (baseline → reform), as override-style
 * paths, so a change can be copied back into a scenario file. Lists of named elements (factors,
 * professions, rule sets) are matched by name; other lists by position; lists of plain values are
 * compared whole.
 */
export interface Change {
  path: string;
  /** undefined = absent on that side */
  from: unknown;
  to: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPlain(value: unknown): boolean {
  return !isRecord(value) && !Array.isArray(value);
}

function namedList(list: readonly unknown[]): Map<string, unknown> | undefined {
  const byName = new Map<string, unknown>();
  for (const el of list) {
    const name = elementName(el);
    if (name === undefined || byName.has(name)) return undefined;
    byName.set(name, el);
  }
  return byName;
}

function walk(a: unknown, b: unknown, at: PathSegment[], out: Change[]): void {
  if (Object.is(a, b)) return;
  if (isRecord(a) && isRecord(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
    for (const k of keys) walk(a[k], b[k], [...at, { kind: "key", name: k }], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.every(isPlain) && b.every(isPlain)) {
      if (a.length !== b.length || a.some((v, i) => !Object.is(v, b[i])))
        out.push({ path: formatPath(at), from: a, to: b });
      return;
    }
    const na = namedList(a);
    const nb = namedList(b);
    if (na && nb && (a.length > 0 || b.length > 0)) {
      for (const [name, va] of na) walk(va, nb.get(name), [...at, { kind: "key", name }], out);
      for (const [name, vb] of nb)
        if (!na.has(name)) walk(undefined, vb, [...at, { kind: "key", name }], out);
      return;
    }
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i], b[i], [...at, { kind: "index", index: i }], out);
    return;
  }
  out.push({ path: formatPath(at), from: a, to: b });
}

export function diffValues(from: unknown, to: unknown): Change[] {
  const out: Change[] = [];
  walk(from, to, [], out);
  return out;
}

/** A value as one short line for a table of changes ("(absent)" when missing). */
export function formatValue(value: unknown): string {
  if (value === undefined) return "(absent)";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
