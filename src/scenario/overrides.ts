import { didYouMean } from "../did-you-mean.js";
import { ScenarioError } from "../errors.js";

/**
 * Overrides by path, like a reform in OpenFisca: a scenario names the values it changes and leaves the
 * rest to the scenario it extends.
 *
 * Path syntax (documented in the README, "Policy what-ifs"):
 *   - keys are separated by dots:                 `quota.annual`, `selection.pass_mark`
 *   - `[n]` picks the n-th element (from 0):      `components[0].bands[1].points`
 *   - a name on a list picks the element whose `id` (or `key`) is that name:
 *                                                 `rules.qmas-gpt-2018.factors.age` is the factor with id `age`
 *     (`[age]` is the same and also works when the name contains a dot)
 *   - `bands[1]` on a rule set's bands component (`bands: { field, bands: [...] }`) is its inner list,
 *     so `components[0].bands[1].points` and `components[0].bands.bands[1].points` are the same value
 * Every path must already exist in what is being overridden; a typo is an error naming the closest
 * valid key, never a silently added value.
 */
export type PathSegment = { kind: "key"; name: string } | { kind: "index"; index: number };

export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new SyntaxError(`bad override path '${path}': ${why}`);
  };
  if (path.trim() === "") fail("empty");
  while (i < path.length) {
    const ch = path[i];
    if (ch === "[") {
      const end = path.indexOf("]", i);
      if (end < 0) fail("unclosed '['");
      const inner = path.slice(i + 1, end).trim();
      if (inner === "") fail("empty '[]'");
      if (/^\d+$/.test(inner)) segments.push({ kind: "index", index: Number(inner) });
      else segments.push({ kind: "key", name: inner.replace(/^["']|["']$/g, "") });
      i = end + 1;
      if (i < path.length && path[i] === ".") {
        i++;
        if (i >= path.length) fail("ends with '.'");
      }
    } else {
      let end = i;
      while (end < path.length && path[end] !== "." && path[end] !== "[") end++;
      const name = path.slice(i, end);
      if (name === "") fail(`empty key at character ${i + 1}`);
      segments.push({ kind: "key", name });
      i = end;
      if (path[i] === ".") {
        i++;
        if (i >= path.length) fail("ends with '.'");
      }
    }
  }
  return segments;
}

export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (s.kind === "index") out += `[${s.index}]`;
    else out += out === "" ? s.name : `.${s.name}`;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The name an element of a list answers to in a path: its `id`, else its `key`. */
export function elementName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value["id"] === "string") return value["id"];
  if (typeof value["key"] === "string") return value["key"];
  return undefined;
}

/**
 * Where a path goes wrong: the reason and the closest valid path (`suggestion`), or for a collection
 * verb the closest valid element name (`suggestedName`).
 */
export class PathError extends Error {
  override readonly name = "PathError";
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly suggestion?: string,
    readonly suggestedName?: string,
    /** false when the path exists but the change is not possible (e.g. adding a key twice) */
    readonly missing = true,
  ) {
    super(`${path}: ${reason}`);
  }
}

interface Located {
  parent: Record<string, unknown> | unknown[];
  /** key in the parent object, or index in the parent array */
  slot: string | number;
}

/** Follow `segments` in `root`; every step must exist. */
function locate(root: unknown, segments: readonly PathSegment[], fullPath: string): Located {
  let current: unknown = root;
  let located: Located | undefined;
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k]!;
    const prefix = formatPath(segments.slice(0, k));
    const where = prefix === "" ? "the top level" : `'${prefix}'`;
    const suggest = (name: string | undefined): string | undefined =>
      name === undefined ? undefined : formatPath([...segments.slice(0, k), { kind: "key", name }]);
    if (Array.isArray(current)) {
      let index: number;
      if (seg.kind === "index") {
        index = seg.index;
        if (index >= current.length) {
          throw new PathError(
            fullPath,
            `${where} has ${current.length} element(s); [${index}] does not exist`,
            current.length > 0
              ? formatPath([...segments.slice(0, k), { kind: "index", index: current.length - 1 }])
              : undefined,
          );
        }
      } else {
        index = current.findIndex((el) => elementName(el) === seg.name);
        if (index < 0) {
          const names = current.map(elementName).filter((n): n is string => n !== undefined);
          const reason =
            names.length === 0
              ? `${where} is a list: use [n] to pick an element`
              : `${where} has no element with id '${seg.name}'`;
          throw new PathError(fullPath, reason, suggest(didYouMean(seg.name, names, "any")));
        }
      }
      located = { parent: current, slot: index };
      current = current[index];
    } else if (isRecord(current)) {
      const previous = segments[k - 1];
      if (seg.kind === "index" && previous?.kind === "key" && Array.isArray(current[previous.name])) {
        // `bands[1]` on a bands component `{ bands: { field, bands: [...] } }` means its inner list
        current = current[previous.name];
        k--;
        continue;
      }
      if (seg.kind === "index")
        throw new PathError(fullPath, `${where} is not a list: [${seg.index}] does not apply`);
      if (!Object.hasOwn(current, seg.name)) {
        throw new PathError(
          fullPath,
          `${where} has no key '${seg.name}'`,
          suggest(didYouMean(seg.name, Object.keys(current), "any")),
        );
      }
      located = { parent: current, slot: seg.name };
      current = current[seg.name];
    } else {
      const what = current === null ? "null" : typeof current;
      throw new PathError(
        fullPath,
        `${where} is a value (${what}), it has no '${seg.kind === "key" ? seg.name : `[${seg.index}]`}'`,
      );
    }
  }
  if (located === undefined) throw new PathError(fullPath, "empty path");
  return located;
}

/** The value at `path` (throws PathError when the path does not exist). */
export function getAtPath(root: unknown, path: string): unknown {
  const { parent, slot } = locate(root, parsePath(path), path);
  return Array.isArray(parent) ? parent[slot as number] : parent[slot as string];
}

/** Replace the value at an existing `path`, in place. */
export function setAtPath(root: unknown, path: string, value: unknown): void {
  const { parent, slot } = locate(root, parsePath(path), path);
  if (Array.isArray(parent)) parent[slot as number] = value;
  else parent[slot as string] = value;
}

export function pathExists(root: unknown, path: string): boolean {
  try {
    locate(root, parsePath(path), path);
    return true;
  } catch (err) {
    if (err instanceof PathError || err instanceof SyntaxError) return false;
    throw err;
  }
}

export function toScenarioError(
  err: unknown,
  file: string,
  shownPath: string,
  innerPath = shownPath,
): unknown {
  const prefix = shownPath.endsWith(innerPath) ? shownPath.slice(0, shownPath.length - innerPath.length) : "";
  if (err instanceof PathError) {
    const suggestion = err.suggestion === undefined ? err.suggestedName : `${prefix}${err.suggestion}`;
    const reason = err.missing ? `override path does not exist: ${err.reason}` : err.reason;
    return new ScenarioError(file, `overrides.${shownPath}`, reason, suggestion);
  }
  if (err instanceof SyntaxError) return new ScenarioError(file, `overrides.${shownPath}`, err.message);
  return err;
}

/**
 * `PATH.add` and `PATH.remove` change a collection instead of replacing a value (when the thing at
 * PATH has no key of that name itself):
 *   - on a list of named elements: `add` appends elements ({key, …} or {id, …}; a plain key becomes
 *     {key, label}); `remove` takes a list of names
 *   - on a map: `add` adds new keys from a map (an existing key is an error: set it by its path);
 *     `remove` takes a list of keys
 * Anything that does not exist is an error naming the closest valid key.
 */
export type CollectionVerb = "add" | "remove";

export function collectionVerb(
  root: unknown,
  path: string,
): { target: string; verb: CollectionVerb } | undefined {
  const segments = parsePath(path);
  const last = segments[segments.length - 1];
  if (segments.length < 2 || last?.kind !== "key" || (last.name !== "add" && last.name !== "remove"))
    return undefined;
  const target = formatPath(segments.slice(0, -1));
  if (!pathExists(root, target)) return undefined;
  const container = getAtPath(root, target);
  if (isRecord(container) && Object.hasOwn(container, last.name)) return undefined;
  if (!isRecord(container) && !Array.isArray(container)) return undefined;
  return { target, verb: last.name };
}

function verbError(path: string, reason: string, suggestedName?: string): PathError {
  return new PathError(path, reason, undefined, suggestedName, suggestedName !== undefined);
}

function applyVerb(root: unknown, path: string, target: string, verb: CollectionVerb, value: unknown): void {
  const container = getAtPath(root, target);
  if (Array.isArray(container)) {
    const names = () => container.map(elementName).filter((n): n is string => n !== undefined);
    if (!Array.isArray(value)) throw verbError(path, `'${target}' is a list: ${verb} takes a list`);
    if (verb === "add") {
      for (const item of value) {
        const element = typeof item === "string" ? { key: item, label: item.replaceAll("_", " ") } : item;
        const name = elementName(element);
        if (name === undefined)
          throw verbError(path, "each element added needs an id or key (or is a plain key)");
        if (names().includes(name)) throw verbError(path, `'${name}' is already in '${target}'`);
        container.push(element);
      }
      return;
    }
    for (const name of value) {
      const index = container.findIndex((el) => elementName(el) === name);
      if (index < 0)
        throw verbError(
          path,
          `'${String(name)}' is not in '${target}'`,
          didYouMean(String(name), names(), "any"),
        );
      container.splice(index, 1);
    }
    return;
  }
  const map = container as Record<string, unknown>;
  if (verb === "add") {
    if (!isRecord(value)) throw verbError(path, `'${target}' is a map: add takes a map of new keys`);
    for (const [k, v] of Object.entries(value)) {
      if (Object.hasOwn(map, k))
        throw verbError(path, `'${target}' already has '${k}': set it with the path ${target}.${k}`);
      map[k] = v;
    }
    return;
  }
  if (!Array.isArray(value)) throw verbError(path, `'${target}' is a map: remove takes a list of keys`);
  for (const k of value) {
    if (!Object.hasOwn(map, String(k)))
      throw verbError(
        path,
        `'${target}' has no key '${String(k)}'`,
        didYouMean(String(k), Object.keys(map), "any"),
      );
    delete map[String(k)];
  }
}

/**
 * Apply one override: a collection verb (`….add`, `….remove`) or a plain replacement of an existing
 * value. Errors are ScenarioErrors naming `file`, the override as written and the closest valid key.
 */
export function applyOverride(
  root: unknown,
  path: string,
  value: unknown,
  file: string,
  shownPath = path,
): void {
  try {
    const verb = collectionVerb(root, path);
    if (verb) applyVerb(root, path, verb.target, verb.verb, value);
    else setAtPath(root, path, value);
  } catch (err) {
    throw toScenarioError(err, file, shownPath, path);
  }
}
