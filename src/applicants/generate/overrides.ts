import { didYouMean } from "../../did-you-mean.js";
import { ErrorList, SpecError } from "../../errors.js";
import { keysAtPath, specSchema } from "./schema.js";
import { type DistributionSpec, parseDistributionSpec, specToData } from "./spec.js";
import { VARIABLE_NAMES } from "./variables.js";

/**
 * Partial changes to a distribution spec, written by a scenario as `key path: change`:
 *
 *   marginals.sector.weights.healthcare: { add: 0.10 }   # +10 percentage points of share, the other
 *                                                         # categories shrink proportionally
 *   marginals.sector.weights.it_telecom: { scale: 1.5 }  # share × 1.5, others renormalised
 *   marginals.region.weights.mainland: { share: 0.8 }    # share set to 80 %, others renormalised
 *   marginals.age.bins[4].weight: { scale: 2 }           # plain numbers: add / scale / set
 *   conditionals.chinese.cases.mainland.p: 0.9           # any other value replaces the value
 *   marginals.has_business: { p: 0.1, source: assumption }   # whole distributions too
 *
 * Strings "+0.1", "-0.1", "*1.5", "=0.8" are shorthands for add / add / scale / share (quote them in
 * YAML: an unquoted +0.10 is the number 0.1, which would *set* the raw weight). A plain number under
 * `weights` sets the raw weight (weights are relative). Adding to a category that does not exist yet
 * creates it. The result is validated like a spec file; errors name the overrides and the key path.
 */
export type SpecOverrides = Record<string, unknown>;

type Op = { kind: "add" | "scale" | "share"; n: number } | { kind: "set"; value: unknown };

const OPS = ["add", "scale", "share", "set"] as const;

function parseOp(value: unknown): Op | string {
  if (typeof value === "string") {
    const m = /^([+\-*=])\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/i.exec(value.trim());
    if (m) {
      const n = Number(m[2]);
      if (m[1] === "+") return { kind: "add", n };
      if (m[1] === "-") return { kind: "add", n: -n };
      if (m[1] === "*") return { kind: "scale", n };
      return { kind: "share", n };
    }
    return { kind: "set", value };
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && (OPS as readonly string[]).includes(keys[0]!)) {
      const kind = keys[0] as (typeof OPS)[number];
      const v = (value as Record<string, unknown>)[kind];
      if (kind === "set") return { kind, value: v };
      if (typeof v !== "number" || !Number.isFinite(v)) return `${kind} needs a number`;
      return { kind, n: v };
    }
  }
  return { kind: "set", value };
}

/** "marginals.age.bins[4].weight" → ["marginals", "age", "bins", 4, "weight"] */
export function parseKeyPath(path: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  for (const part of path.split(".")) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    out.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(x: unknown): x is Container {
  return x !== null && typeof x === "object";
}

function candidateKeys(node: Container, path: readonly (string | number)[]): string[] {
  const keys = new Set<string>(Array.isArray(node) ? [] : Object.keys(node));
  for (const k of keysAtPath(specSchema, path)) keys.add(k);
  if (path.length === 1 && (path[0] === "marginals" || path[0] === "conditionals"))
    for (const v of VARIABLE_NAMES) keys.add(v);
  return [...keys];
}

/** Shift one category's share of a weights map; the others keep their proportions. */
function shiftShare(
  weights: Record<string, number>,
  key: string,
  op: { kind: "add" | "scale" | "share"; n: number },
): Record<string, number> | string {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  if (!(total > 0)) return "weights sum to 0, so shares are undefined";
  const current = (weights[key] ?? 0) / total;
  const target = op.kind === "add" ? current + op.n : op.kind === "scale" ? current * op.n : op.n;
  if (!(target >= -1e-12 && target <= 1 + 1e-12))
    return `the share of '${key}' would be ${target.toFixed(4)}, outside [0, 1]`;
  const rest = 1 - current;
  if (rest <= 0 && target < 1)
    return `'${key}' is the only category with weight, so no other category can take the remaining share`;
  const out: Record<string, number> = {};
  for (const [k, w] of Object.entries(weights)) out[k] = k === key ? 0 : ((w / total) * (1 - target)) / rest;
  out[key] = Math.max(0, Math.min(1, target));
  return out;
}

/**
 * Apply `overrides` to a spec and validate the result. `source` names the overrides in errors (e.g.
 * "scenarios/healthcare.yaml: pool.overrides").
 */
export function applySpecOverrides(
  spec: DistributionSpec,
  overrides: SpecOverrides,
  source = "<overrides>",
): DistributionSpec {
  const data = specToData(spec) as unknown as Record<string, unknown>;
  const errors: SpecError[] = [];
  for (const [keyPath, value] of Object.entries(overrides)) {
    const fail = (reason: string, suggestion?: string) =>
      errors.push(new SpecError(source, keyPath, reason, suggestion));
    const path = parseKeyPath(keyPath);
    if (!path || path.length === 0) {
      fail("not a key path such as marginals.sector.weights.healthcare");
      continue;
    }
    const op = parseOp(value);
    if (typeof op === "string") {
      fail(op);
      continue;
    }
    let node: unknown = data;
    let ok = true;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      const next = isContainer(node) ? (node as Record<string | number, unknown>)[key] : undefined;
      if (!isContainer(next)) {
        const known = isContainer(node) ? candidateKeys(node, path.slice(0, i)) : [];
        fail(
          `'${path.slice(0, i + 1).join(".")}' does not exist in spec ${spec.id}`,
          typeof key === "string" ? didYouMean(key, known) : undefined,
        );
        ok = false;
        break;
      }
      node = next;
    }
    if (!ok || !isContainer(node)) continue;
    const last = path[path.length - 1]!;
    const parentKey = path[path.length - 2];
    const holder = node as Record<string | number, unknown>;
    if (parentKey === "weights" && typeof last === "string" && op.kind !== "set") {
      const shifted = shiftShare(holder as Record<string, number>, last, op);
      if (typeof shifted === "string") {
        fail(shifted);
        continue;
      }
      for (const k of Object.keys(holder)) delete (holder as Record<string, unknown>)[k];
      Object.assign(holder, shifted);
      continue;
    }
    if (op.kind === "set") {
      holder[last] = structuredClone(op.value);
      continue;
    }
    if (op.kind === "share") {
      fail("share applies to a category under weights");
      continue;
    }
    const current = holder[last];
    if (typeof current !== "number") {
      const known =
        typeof last === "string" && current === undefined
          ? didYouMean(last, candidateKeys(node, path.slice(0, -1)))
          : undefined;
      fail(
        `${op.kind} needs a number here, found ${current === undefined ? "nothing" : JSON.stringify(current)}`,
        known,
      );
      continue;
    }
    holder[last] = op.kind === "add" ? current + op.n : current * op.n;
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new ErrorList(errors);
  // a `set` may create any key: the validation below rejects unknown ones with a suggestion
  return parseDistributionSpec(data, `${source} (overriding ${spec.file})`);
}
