import type { Rng } from "../random.js";
import { ROUTE_APT } from "../rules/types.js";
import type { TieBreak } from "./types.js";

// the timeline reads the APT route code from here (it is defined with the routes, in src/rules/types.ts)
export { ROUTE_APT };

/** The per-application columns ranking reads (indexed by application number). */
export interface RankColumns {
  total: Int16Array;
  route: Uint8Array;
  appliedOn: Int32Array;
  /**
   * Position of each application's id in ascending id order, only needed for an `id` tie-break.
   * Omitted when ids sort like application numbers (generated ids).
   */
  idRank?: Int32Array;
  /** Orders two applications by id; preferred over idRank (only tied candidates are compared). */
  compareIds?: (a: number, b: number) => number;
}

/**
 * Order candidates for one exercise: APT passes first (when `aptFirst`), then by score, highest first,
 * then by the tie-break keys in order. Scores are small integers, so every key is applied with a stable
 * counting sort (least significant key first), O(n + range) each; a lottery is a seeded shuffle.
 * Returns a new array; `candidates` is not changed.
 */
export function rankCandidates(
  candidates: Int32Array,
  cols: RankColumns,
  tieBreak: readonly TieBreak[],
  aptFirst: boolean,
  lottery: Rng | null,
): Int32Array {
  // The order given is deterministic (the pool's), so no canonical sort is needed before a lottery.
  let order: Int32Array = candidates.slice();
  const n = order.length;
  if (n <= 1) return order;
  // Keys after the first strict key (id, lottery) can never decide anything.
  const strictAt = tieBreak.findIndex((k) => k === "id" || k === "lottery");
  const keys = strictAt === -1 ? tieBreak : tieBreak.slice(0, strictAt + 1);
  // Ties broken by id: sort by score (and day), then sort each run of tied candidates by id. Runs are
  // short, so this costs far less than ranking every id in the pool.
  const last = keys[keys.length - 1];
  if (cols.compareIds && last === "id" && (keys.length === 1 || keys[0] === "applied_on")) {
    const byDay = keys.length === 2;
    const sorted = byDay ? sortByScoreThenDay(order, cols, aptFirst) : sortByScore(order, cols, aptFirst);
    sortTies(sorted, cols, aptFirst, byDay, cols.compareIds);
    return sorted;
  }
  // Common case: score then applied_on (then a lottery or nothing) in one counting sort on a composite key.
  if (keys[0] === "applied_on" && (keys.length === 1 || keys[1] === "lottery")) {
    if (keys.length === 2) {
      if (!lottery) throw new Error("a lottery tie-break needs a random stream");
      shuffle(order, lottery);
    }
    return sortByScoreThenDay(order, cols, aptFirst);
  }
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k];
    if (key === "lottery") {
      if (!lottery) throw new Error("a lottery tie-break needs a random stream");
      shuffle(order, lottery);
    } else if (key === "id") {
      order = cols.compareIds
        ? Int32Array.from(Array.from(order).sort(cols.compareIds))
        : sortByIdRank(order, cols.idRank);
    } else {
      order = sortByAppliedOn(order, cols.appliedOn);
    }
  }
  return sortByScore(order, cols, aptFirst);
}

function sortTies(
  order: Int32Array,
  cols: RankColumns,
  aptFirst: boolean,
  byDay: boolean,
  compare: (a: number, b: number) => number,
): void {
  const { total, route, appliedOn } = cols;
  const same = (a: number, b: number) =>
    total[a] === total[b] &&
    (!aptFirst || (route[a] === ROUTE_APT) === (route[b] === ROUTE_APT)) &&
    (!byDay || appliedOn[a] === appliedOn[b]);
  let from = 0;
  while (from < order.length) {
    let to = from + 1;
    while (to < order.length && same(order[from]!, order[to]!)) to++;
    if (to - from > 1) order.set(Array.from(order.subarray(from, to)).sort(compare), from);
    from = to;
  }
}

function shuffle(order: Int32Array, rng: Rng): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

function sortByIdRank(order: Int32Array, idRank: Int32Array | undefined): Int32Array {
  if (!idRank) return order.slice().sort();
  // Ranks are unique, so sorting the ranks and mapping back is a full, stable order.
  const ranks = new Int32Array(order.length);
  const back = new Map<number, number>();
  for (let i = 0; i < order.length; i++) {
    const r = idRank[order[i]!]!;
    ranks[i] = r;
    back.set(r, order[i]!);
  }
  ranks.sort();
  const out = new Int32Array(order.length);
  for (let i = 0; i < ranks.length; i++) out[i] = back.get(ranks[i]!)!;
  return out;
}

function sortByAppliedOn(order: Int32Array, appliedOn: Int32Array): Int32Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < order.length; i++) {
    const d = appliedOn[order[i]!]!;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  const keys = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) keys[i] = appliedOn[order[i]!]! - lo;
  return countingSort(order, keys, hi - lo + 1);
}

function sortByScore(order: Int32Array, cols: RankColumns, aptFirst: boolean): Int32Array {
  let max = 0;
  for (let i = 0; i < order.length; i++) {
    const t = cols.total[order[i]!]!;
    if (t > max) max = t;
  }
  const span = max + 1;
  const keys = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const g = order[i]!;
    const t = cols.total[g]!;
    const desc = max - Math.max(t, 0);
    keys[i] = aptFirst && cols.route[g] !== ROUTE_APT ? span + desc : desc;
  }
  return countingSort(order, keys, aptFirst ? 2 * span : span);
}

function sortByScoreThenDay(order: Int32Array, cols: RankColumns, aptFirst: boolean): Int32Array {
  const { total, route, appliedOn } = cols;
  const range = scoreAndDayRange(order, total, appliedOn);
  const max = range[0]!;
  const lo = range[1]!;
  const span = max + 1;
  const days = range[2]! - lo + 1;
  const buckets = (aptFirst ? 2 * span : span) * days;
  // A pool spread over many years would make too many buckets: sort the two keys apart instead.
  if (buckets > 4 * order.length + 65_536)
    return sortByScore(sortByAppliedOn(order, appliedOn), cols, aptFirst);
  return countingSort(
    order,
    scoreThenDayKeys(order, total, route, appliedOn, aptFirst ? span : 0, max, days, lo),
    buckets,
  );
}

// The two loops of sortByScoreThenDay are functions of their own: V8 compiles each once. Inline, the
// first loop was compiled while running (on-stack replacement) and that code given up at the second,
// which had not run yet: 12 compilations of sortByScoreThenDay in a 40-quarter run.

/** [highest total (at least 0), first day, last day] of the applications in `order` (not empty). */
function scoreAndDayRange(order: Int32Array, total: Int16Array, appliedOn: Int32Array): Int32Array {
  let max = 0;
  let lo = 2147483647;
  let hi = -2147483648;
  for (let i = 0; i < order.length; i++) {
    const g = order[i]!;
    const t = total[g]!;
    if (t > max) max = t;
    const d = appliedOn[g]!;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  return Int32Array.of(max, lo, hi);
}

/** Composite keys: score descending (behind APT passes by `notAptOffset`), then day ascending. */
function scoreThenDayKeys(
  order: Int32Array,
  total: Int16Array,
  route: Uint8Array,
  appliedOn: Int32Array,
  notAptOffset: number,
  max: number,
  days: number,
  lo: number,
): Int32Array {
  const keys = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const g = order[i]!;
    const t = total[g]!;
    const scoreKey = (route[g] !== ROUTE_APT ? notAptOffset : 0) + max - Math.max(t, 0);
    keys[i] = scoreKey * days + appliedOn[g]! - lo;
  }
  return keys;
}

/**
 * The bucket counts of countingSort, kept for the next sort of this thread (up to KEPT_BUCKETS). A
 * replication sorts every quarter with ~40,000 buckets (160 kB): allocated each time, glibc grew and
 * trimmed its heap for each one, and the fresh pages were faulted in again; with two such processes
 * or threads side by side on a VM, those page faults cost 16 × as much (a bench/capacity.mjs probe).
 */
const KEPT_BUCKETS = 1 << 20;
let keptStart = new Int32Array(0);

function bucketCounts(size: number): Int32Array {
  if (size > KEPT_BUCKETS) return new Int32Array(size);
  if (keptStart.length < size)
    keptStart = new Int32Array(Math.min(KEPT_BUCKETS, Math.max(size, 2 * keptStart.length)));
  const start = keptStart.subarray(0, size);
  start.fill(0);
  return start;
}

/** Stable counting sort of `order` by small non-negative integer `keys` (parallel to `order`). */
export function countingSort(order: Int32Array, keys: Int32Array, range: number): Int32Array {
  const start = bucketCounts(range + 1);
  countKeys(keys, start);
  for (let k = 0; k < range; k++) start[k + 1]! += start[k]!;
  return scatter(order, keys, start);
}

// Each long loop in a function of its own that ends with it (see sortByScoreThenDay): as one function,
// the code V8 compiled during the first long loop stopped at the next statement, which had not run
// yet, once every few replications.

function countKeys(keys: Int32Array, start: Int32Array): void {
  for (let i = 0; i < keys.length; i++) start[keys[i]! + 1]!++;
}

function scatter(order: Int32Array, keys: Int32Array, start: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[start[keys[i]!]!++] = order[i]!;
  return out;
}
