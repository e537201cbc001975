import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { outputError } from "./errors.js";
import { checkOutputFile, makeFolder, removeQuietly } from "./output-guard.js";

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

/** Temporary files made in this process; removed on any exit that can be caught. */
const temporaries = new Set<string>();

/** Names of temporaries: `.<final name>.<12 hex digits>.tmp` beside the final file. */
export const TEMPORARY_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

/**
 * A temporary path beside `path` for streamed writes that are renamed into place when complete. Its
 * folder is made if missing; one that cannot be (a file in the way) is an OutputError naming `path`,
 * as is a path that cannot be a regular file (src/output-guard.ts).
 */
export function tempPathFor(path: string): string {
  checkOutputFile(path);
  try {
    makeFolder(dirname(path));
  } catch (err) {
    throw outputError(path, err);
  }
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  if (cleanupWanted) installCleanup();
  // a renamed or removed one is simply not there any more when the exit handler looks
  temporaries.add(tmp);
  return tmp;
}

/** Remove every temporary this process made that is still there. */
export function removeTemporaries(): void {
  for (const tmp of temporaries) removeQuietly(tmp);
  temporaries.clear();
}

let cleanupWanted = false;
let installed = false;

/**
 * Remove temporaries when the process exits, also on Ctrl-C, `kill` and a closed terminal: a killed
 * run must not leave hidden files behind. The signal handlers are installed with the first temporary
 * file, not before: a handler makes Node wait for the event loop before acting on a signal, and the
 * long synchronous work of a run (the simulation) comes before its outputs, where Ctrl-C must stop it
 * at once. After handling, the signal is raised again so the exit status is the usual one (130 for
 * Ctrl-C). SIGKILL cannot be caught; `rerun` names the temporaries such a kill leaves.
 */
export function removeTemporariesOnExit(): void {
  cleanupWanted = true;
}

function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on("exit", removeTemporaries);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      removeTemporaries();
      process.kill(process.pid, signal);
    });
  }
}
