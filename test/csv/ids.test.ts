import { describe, expect, it } from "vitest";
import { IdRegistry } from "../../src/applicants/csv/ids.js";

describe("IdRegistry", () => {
  it("finds repeats before and after ids stop arriving in order", () => {
    const ids = new IdRegistry();
    expect(["A1", "A2", "A3"].map((id, i) => ids.firstLineOf(id, i + 2))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(ids.firstLineOf("A2", 5)).toBe(3);
    expect(ids.firstLineOf("A0", 6)).toBeUndefined();
    expect(ids.firstLineOf("A9", 7)).toBeUndefined();
    expect(ids.firstLineOf("A0", 8)).toBe(6);
    expect(ids.firstLineOf("A1", 9)).toBe(2);
  });

  it("treats an equal id as out of order", () => {
    const ids = new IdRegistry();
    ids.firstLineOf("X", 2);
    expect(ids.firstLineOf("X", 3)).toBe(2);
  });
});
