import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { outputError } from "./errors.js";

/** Write a file atomically: a temporary file in the same folder, then a rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw outputError(path, err);
  }
}

/**
 * A temporary path beside `path` for streamed writes that are renamed into place when complete. Its
 * folder is made if missing; one that cannot be (a file in the way) is an OutputError naming `path`.
 */
export function tempPathFor(path: string): string {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw outputError(path, err);
  }
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
}
