import { InputError } from "../errors.js";

/**
 * Which runs (unit × replication) shard i of N takes. A unit is a scenario of the experiment (the one
 * of a replications run, the two sides of a comparison, the cells of a sweep). The plan depends only
 * on the number of units, the replications and N, so every machine computes the same one, and a
 * replication keeps its seed (derived from the master seed and its number) whichever shard runs it.
 *
 * Two ways to cut, in the one-machine order (unit by unit, replications in order):
 *   - whole units: each shard takes ⌊U/N⌋ or ⌈U/N⌉ consecutive units with all their replications,
 *     so every unit's set-up (rule book built, spec or CSV pool read) happens once in all;
 *   - even runs: the U × R runs cut into N consecutive pieces of ⌊UR/N⌋ or ⌈UR/N⌉ runs, so a unit
 *     may be split between neighbouring shards and set up on each.
 * Each plan is costed per shard as its runs plus SETUP_COST runs per unit it sets up. Whole units are
 * taken unless the even cut's busiest shard costs less by more than one set-up (the estimate is rough,
 * and a split unit is set up twice in all).
 */
export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

/** Replications [first, last] of one unit. */
export interface RunRange {
  unit: number;
  first: number;
  last: number;
}

/**
 * A unit's set-up in replications of it: ≈0.15–0.2 s to prepare a spec-generated pool against ≈5–10 ms
 * a warm replication of the bundled scenarios (a CSV pool costs more to read, and rarely less).
 */
export const SETUP_COST = 30;

const runsOf = (ranges: readonly RunRange[]) => ranges.reduce((n, r) => n + r.last - r.first + 1, 0);
const costOf = (ranges: readonly RunRange[]) => runsOf(ranges) + SETUP_COST * ranges.length;

/** Consecutive pieces of `total` items: the first total mod count get one more. */
function pieces(total: number, count: number): [number, number][] {
  const small = Math.floor(total / count);
  const bigger = total % count;
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = small + (i < bigger ? 1 : 0);
    out.push([start, start + size]);
    start += size;
  }
  return out;
}

function wholeUnits(units: number, replications: number, count: number): RunRange[][] {
  return pieces(units, count).map(([from, to]) =>
    Array.from({ length: to - from }, (_, k) => ({ unit: from + k, first: 0, last: replications - 1 })),
  );
}

function evenRuns(units: number, replications: number, count: number): RunRange[][] {
  return pieces(units * replications, count).map(([from, to]) => {
    const ranges: RunRange[] = [];
    for (let run = from; run < to; ) {
      const unit = Math.floor(run / replications);
      const first = run % replications;
      const last = Math.min(replications - 1, first + (to - run) - 1);
      ranges.push({ unit, first, last });
      run += last - first + 1;
    }
    return ranges;
  });
}

/** Every shard's runs (shard i of N is element i − 1). */
export function planShards(units: number, replications: number, count: number): RunRange[][] {
  const total = units * replications;
  if (!Number.isInteger(count) || count < 1)
    throw new InputError(": N must be a positive whole number", "shard");
  if (count > total)
    throw new InputError(
      `${count} shards: the experiment has only ${total} run(s) (${units} scenario(s) × ${replications} replication(s)); use at most ${total} shards`,
      "shard",
    );
  const even = evenRuns(units, replications, count);
  if (units < count) return even;
  const whole = wholeUnits(units, replications, count);
  const busiest = (plan: RunRange[][]) => Math.max(...plan.map(costOf));
  return busiest(even) + SETUP_COST < busiest(whole) ? even : whole;
}

/** The runs of one shard. */
export function shardRuns(units: number, replications: number, shard: Shard): RunRange[] {
  return planShards(units, replications, shard.count)[shard.index - 1]!;
}

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The folder name of a shard inside the folder given with --out: shard-2-of-3. */
export function shardFolderName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}
