import { deriveSeed } from "../random.js";

/**
 * Seeds of replications. Replication i always gets deriveSeed(master, "replication", i): the same seed
 * in every scenario of a comparison or sweep (common random numbers) and whether it runs serially or
 * in a worker. Hashing keeps adjacent replications from drawing correlated streams.
 */
export function replicationSeed(master: string | number, replication: number): string {
  return deriveSeed(master, "replication", replication);
}

export function replicationSeeds(master: string | number, count: number): string[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`replications must be a positive integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => replicationSeed(master, i));
}
