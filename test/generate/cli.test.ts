import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, expect, test, vi } from "vitest";
import { registerGenerate } from "../../src/cli/generate.js";

const dir = mkdtempSync(join(tmpdir(), "qmas-cli-gen-"));

async function run(...args: string[]): Promise<{ code: number; stderr: string }> {
  const program = new Command().exitOverride();
  registerGenerate(program);
  let stderr = "";
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    await program.parseAsync(["node", "qmas-sim", "generate", ...args]);
  } finally {
    spy.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stderr };
}

afterEach(() => {
  process.exitCode = 0;
});

test("same arguments give the same bytes", async () => {
  const a = join(dir, "a.csv");
  const b = join(dir, "b.csv");
  expect((await run("--spec", "qmas-2021", "--count", "3000", "--seed", "42", "-o", a)).code).toBe(0);
  expect((await run("--spec", "qmas-2021", "--count", "3000", "--seed", "42", "-o", b)).code).toBe(0);
  const textA = readFileSync(a, "utf8");
  expect(readFileSync(b, "utf8")).toBe(textA);
  const lines = textA.trimEnd().split("\n");
  expect(lines).toHaveLength(3001);
  expect(lines[0]!.startsWith("id,applied_on,age,sex,region,sector,profession,")).toBe(true);
  expect(lines[1]!.startsWith("G0000001,")).toBe(true);
});

test("a larger count extends the file; --from/--to set the dates", async () => {
  const small = join(dir, "small.csv");
  const big = join(dir, "big.csv");
  await run("--spec", "qmas-2021", "--count", "100", "--seed", "9", "-o", small);
  await run("--spec", "qmas-2021", "--count", "5000", "--seed", "9", "-o", big);
  const s = readFileSync(small, "utf8").split("\n");
  expect(readFileSync(big, "utf8").split("\n").slice(0, 101)).toEqual(s.slice(0, 101));
  const dated = join(dir, "dated.csv");
  await run(
    "--spec",
    "qmas-2006",
    "--count",
    "200",
    "--seed",
    "1",
    "--from",
    "2007-03-01",
    "--to",
    "2007-03-31",
    "-o",
    dated,
  );
  const dates = readFileSync(dated, "utf8")
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((l) => l.split(",")[1]!);
  expect(dates.every((d) => d >= "2007-03-01" && d <= "2007-03-31")).toBe(true);
});

test("bad arguments print one line to stderr and exit non-zero", async () => {
  const unknown = await run("--spec", "qmas-1999", "--count", "10", "--seed", "1");
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/unknown distribution spec 'qmas-1999'; available: .*qmas-2021/);
  const count = await run("--spec", "qmas-2021", "--count", "ten", "--seed", "1");
  expect(count.code).toBe(2);
  expect(count.stderr.trim()).toBe("--count must be a whole number ≥ 0 (got 'ten')");
});
