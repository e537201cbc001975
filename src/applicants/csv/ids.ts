/**
 * Remembers ids and the line each first appeared on, to report duplicates. Pools are usually written
 * in id order, and while every id is greater than the one before no id can repeat, so no hash table
 * is needed; a million-entry Map lookup per row was the reader's largest own cost. The first id out
 * of order moves everything seen so far into a Map.
 */
export class IdRegistry {
  private ascending = true;
  private last = "";
  private ids: string[] = [];
  private lines: number[] = [];
  private byId: Map<string, number> | undefined;

  /** Record `id` seen on `line`; returns the line of an earlier occurrence, if any. */
  firstLineOf(id: string, line: number): number | undefined {
    if (this.ascending) {
      if (this.ids.length === 0 || id > this.last) {
        this.last = id;
        this.ids.push(id);
        this.lines.push(line);
        return undefined;
      }
      this.byId = new Map();
      for (let i = 0; i < this.ids.length; i++) this.byId.set(this.ids[i]!, this.lines[i]!);
      this.ids = [];
      this.lines = [];
      this.ascending = false;
    }
    const byId = this.byId!;
    const first = byId.get(id);
    if (first === undefined) byId.set(id, line);
    return first;
  }
}
