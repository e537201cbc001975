/**
 * Values kept per owner object and key, at most `limit` keys per owner (the oldest goes first), and
 * dropped with the owner. For tables derived from read-only data (a spec, a rule book) that every
 * replication asks for again, one per quarter: the limit is above a run's quarters, so a long run keeps
 * them all, while a long-lived process (a sweep over many periods) stays bounded. Values are shared:
 * callers must not change them.
 */
export class KeptPerOwner<O extends object, V> {
  private readonly byOwner = new WeakMap<O, Map<string, V>>();

  constructor(private readonly limit: number) {}

  get(owner: O, key: string, compute: () => V): V {
    let byKey = this.byOwner.get(owner);
    if (!byKey) {
      byKey = new Map();
      this.byOwner.set(owner, byKey);
    }
    let value = byKey.get(key);
    if (value === undefined) {
      value = compute();
      if (byKey.size >= this.limit) byKey.delete(byKey.keys().next().value!);
      byKey.set(key, value);
    }
    return value;
  }
}

/** More keys than a run has quarters (the scenario schema allows 400). */
export const KEPT_PER_RUN = 512;
