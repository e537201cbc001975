import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh temporary folder for one test file's fixtures. */
export function fixtureDir(): string {
  return mkdtempSync(join(tmpdir(), "qmas-csv-"));
}

/** Write `text` as a file in `dir` and return its path. */
export function fixture(dir: string, name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

/** Lines of a CSV text built from rows of cells (no quoting: cells must not need it). */
export function lines(...rows: string[]): string {
  return `${rows.join("\n")}\n`;
}
