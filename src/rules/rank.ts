import { type ApplicantPool, idOf } from "../applicants/pool.js";
import type { PoolScores } from "./types.js";

/**
 * The ranking order of a scored pool: passed first, then total descending, then applied_on ascending,
 * then id ascending (code-point order). Two stable counting sorts (by day, then by pass/total bucket)
 * make it O(n); only runs of equal (passed, total, day) are compared by id, and those are short.
 */
export function rankOrder(pool: ApplicantPool, scores: PoolScores): Int32Array {
  const n = scores.size;
  const days = pool.columns.applied_on;
  let order: Int32Array = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 2) return order;

  let minDay = 2147483647;
  let maxDay = -2147483648;
  let maxTotal = 0;
  for (let i = 0; i < n; i++) {
    const d = days[i]!;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
    if (scores.total[i]! > maxTotal) maxTotal = scores.total[i]!;
  }
  order = countingSort(order, maxDay - minDay + 1, (i) => days[i]! - minDay);
  const width = maxTotal + 1;
  order = countingSort(
    order,
    2 * width,
    (i) => (scores.passed[i] === 1 ? 0 : width) + (maxTotal - Math.max(0, scores.total[i]!)),
  );

  if (!idsFollowIndexOrder(pool)) {
    // break remaining ties by id
    let start = 0;
    const same = (a: number, b: number) =>
      scores.passed[a] === scores.passed[b] && scores.total[a] === scores.total[b] && days[a] === days[b];
    for (let k = 1; k <= n; k++) {
      if (k < n && same(order[start]!, order[k]!)) continue;
      if (k - start > 1) {
        const run = Array.from(order.subarray(start, k));
        run.sort((a, b) => {
          const x = idOf(pool, a);
          const y = idOf(pool, b);
          return x < y ? -1 : x > y ? 1 : 0;
        });
        order.set(run, start);
      }
      start = k;
    }
  }
  return order;
}

function countingSort(order: Int32Array, buckets: number, key: (i: number) => number): Int32Array {
  const counts = new Int32Array(buckets + 1);
  for (let k = 0; k < order.length; k++) counts[key(order[k]!) + 1]!++;
  for (let b = 0; b < buckets; b++) counts[b + 1]! += counts[b]!;
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    out[counts[key(i)]!++] = i;
  }
  return out;
}

/**
 * Whether index order is already id order: generated ids (prefix + zero-padded number that fits the
 * width), or listed ids that happen to be sorted (generated pools written to CSV usually are).
 */
function idsFollowIndexOrder(pool: ApplicantPool): boolean {
  const ids = pool.ids;
  if (ids.kind === "generated") return String((ids.start ?? 0) + pool.size).length <= ids.width;
  for (let i = 1; i < ids.ids.length; i++) if (ids.ids[i - 1]! > ids.ids[i]!) return false;
  return true;
}
