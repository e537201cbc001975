import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { readApplicantCsv, writeApplicantCsv } from "../../src/applicants/csv/index.js";
import { generatePool, loadDistributionSpec } from "../../src/applicants/generate/index.js";
import { applicantAt } from "../../src/applicants/pool.js";

test("100,000 generated rows pass CSV validation and read back unchanged", async () => {
  for (const [id, count] of [
    ["qmas-2021", 100_000],
    ["qmas-2006", 10_000],
  ] as const) {
    const pool = generatePool(loadDistributionSpec(id), { count, seed: "csv" });
    const file = join(mkdtempSync(join(tmpdir(), "qmas-gen-")), `${id}.csv`);
    await writeApplicantCsv(pool, file);
    const back = await readApplicantCsv(file);
    expect(back.rejected).toBe(0);
    expect(back.errors).toEqual([]);
    expect(back.pool.size).toBe(count);
    for (const i of [0, 1, 4095, 4096, count - 1])
      expect(applicantAt(back.pool, i)).toEqual(applicantAt(pool, i));
  }
});
