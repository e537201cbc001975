import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseShard, SHARD_INDEX_VARIABLES } from "../../src/cli/shard.js";
import { planShards, type RunRange, SETUP_COST } from "../../src/experiments/shard-plan.js";

const runs = (plan: RunRange[][]) =>
  plan.map((ranges) => ranges.reduce((n, r) => n + r.last - r.first + 1, 0));

describe("planShards: which runs each shard takes", () => {
  it("replications of one scenario are cut into even consecutive pieces (the first ones one longer)", () => {
    expect(planShards(1, 10, 3)).toEqual([
      [{ unit: 0, first: 0, last: 3 }],
      [{ unit: 0, first: 4, last: 6 }],
      [{ unit: 0, first: 7, last: 9 }],
    ]);
  });

  it("cells dividing evenly among the shards stay whole", () => {
    expect(planShards(6, 100, 3)).toEqual([
      [
        { unit: 0, first: 0, last: 99 },
        { unit: 1, first: 0, last: 99 },
      ],
      [
        { unit: 2, first: 0, last: 99 },
        { unit: 3, first: 0, last: 99 },
      ],
      [
        { unit: 4, first: 0, last: 99 },
        { unit: 5, first: 0, last: 99 },
      ],
    ]);
  });

  it("cells stay whole unless splitting one saves the busiest shard more than a set-up", () => {
    expect(SETUP_COST).toBe(30);
    // 5 cells of 10 on 2 shards: whole cells cost 3 × (10 + 30) = 120 on the busiest, split 25 + 3 × 30 = 115
    expect(planShards(5, 10, 2)).toEqual([
      [
        { unit: 0, first: 0, last: 9 },
        { unit: 1, first: 0, last: 9 },
        { unit: 2, first: 0, last: 9 },
      ],
      [
        { unit: 3, first: 0, last: 9 },
        { unit: 4, first: 0, last: 9 },
      ],
    ]);
    // 3 cells of 100 on 2 shards: whole cells 2 × 130 = 260, split 150 + 2 × 30 = 210
    expect(planShards(3, 100, 2)).toEqual([
      [
        { unit: 0, first: 0, last: 99 },
        { unit: 1, first: 0, last: 49 },
      ],
      [
        { unit: 1, first: 50, last: 99 },
        { unit: 2, first: 0, last: 99 },
      ],
    ]);
  });

  it("a baseline and a reform on 3 shards: the middle shard runs the end of one and the start of the other", () => {
    expect(planShards(2, 30, 3)).toEqual([
      [{ unit: 0, first: 0, last: 19 }],
      [
        { unit: 0, first: 20, last: 29 },
        { unit: 1, first: 0, last: 9 },
      ],
      [{ unit: 1, first: 10, last: 29 }],
    ]);
  });

  it("more shards than runs is refused, naming the number of runs", () => {
    expect(() => planShards(2, 3, 7)).toThrow(/only 6 run\(s\) \(2 scenario\(s\) × 3 replication\(s\)\)/);
  });

  it("every run is in exactly one shard, in the one-machine order, and no shard is empty", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 40 }),
        (units, replications, wanted) => {
          const count = Math.min(wanted, units * replications);
          const plan = planShards(units, replications, count);
          expect(plan).toHaveLength(count);
          const order = plan
            .flat()
            .flatMap((r) =>
              Array.from({ length: r.last - r.first + 1 }, (_, k) => r.unit * replications + r.first + k),
            );
          expect(order).toEqual(Array.from({ length: units * replications }, (_, i) => i));
          expect(Math.min(...runs(plan))).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe("parseShard: --shard i/N and env/N", () => {
  it("i/N is 1-based", () => {
    expect(parseShard("2/3", {})).toEqual({ index: 2, count: 3 });
    expect(parseShard(" 3 / 3 ", {})).toEqual({ index: 3, count: 3 });
  });

  it("bad forms and out-of-range indices are one-line usage errors", () => {
    expect(() => parseShard("0/3", {})).toThrow(
      "--shard 0/3: i must be a whole number from 1 to 3 (1-based)",
    );
    expect(() => parseShard("4/3", {})).toThrow(/from 1 to 3/);
    expect(() => parseShard("3", {})).toThrow("--shard expects i/N or env/N");
    expect(() => parseShard("1/0", {})).toThrow("--shard expects i/N or env/N");
    expect(() => parseShard("a/2", {})).toThrow(/i must be a whole number/);
  });

  it("env/N takes the first variable set, each 0-based", () => {
    expect(SHARD_INDEX_VARIABLES).toEqual([
      "JOB_COMPLETION_INDEX",
      "AWS_BATCH_JOB_ARRAY_INDEX",
      "BATCH_TASK_INDEX",
      "SLURM_ARRAY_TASK_ID",
    ]);
    for (const name of SHARD_INDEX_VARIABLES)
      expect(parseShard("env/4", { [name]: "3" })).toEqual({ index: 4, count: 4 });
    expect(parseShard("env/4", { SLURM_ARRAY_TASK_ID: "2", JOB_COMPLETION_INDEX: "0" })).toEqual({
      index: 1,
      count: 4,
    });
    expect(parseShard("env/4", { JOB_COMPLETION_INDEX: "", BATCH_TASK_INDEX: "1" })).toEqual({
      index: 2,
      count: 4,
    });
  });

  it("env/N with no index, or one out of range, is a one-line error naming the variable", () => {
    expect(() => parseShard("env/4", {})).toThrow(
      "--shard env/4: none of JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, BATCH_TASK_INDEX, SLURM_ARRAY_TASK_ID is set",
    );
    expect(() => parseShard("env/4", { SLURM_ARRAY_TASK_ID: "4" })).toThrow(
      "--shard env/4: SLURM_ARRAY_TASK_ID=4 is not an index from 0 to 3 (0-based)",
    );
    expect(() => parseShard("env/4", { AWS_BATCH_JOB_ARRAY_INDEX: "-1" })).toThrow(
      /AWS_BATCH_JOB_ARRAY_INDEX=-1 is not an index/,
    );
  });
});
