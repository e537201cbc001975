import { existsSync, lstatSync, mkdirSync, realpathSync, rmSync, type Stats, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { InputError, OutputError } from "./errors.js";

/**
 * Where outputs may go. Every output of the package is a regular file written through a temporary
 * file and a rename (src/atomic.ts), and a rename replaces whatever has the name: a FIFO, a device
 * node (as root, `-o /dev/null` would replace /dev/null) or an input of the run. These checks run
 * before anything is written.
 */

/** Kernel file systems: nothing there is an output, and Node's recursive mkdir spins forever under /proc. */
const KERNEL_ROOTS = ["/proc", "/sys"];

function kindOf(s: Stats): string {
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  if (s.isDirectory()) return "a folder";
  return "not a regular file";
}

/** `path` with the links of its longest existing ancestor resolved (the rest may not exist yet). */
export function resolvedPath(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(existing.slice(parent.length).replace(/^[/\\]/, ""));
    existing = parent;
  }
  let real = existing;
  try {
    real = realpathSync(existing);
  } catch {
    // a dangling link or a permission problem: the write itself will say so
  }
  return rest.length === 0 ? real : join(real, ...rest);
}

function underKernelFs(real: string): string | undefined {
  return KERNEL_ROOTS.find((root) => real === root || real.startsWith(`${root}${sep}`));
}

/**
 * Refuse an output file that could not be a regular file we own: under /proc or /sys, or a name
 * already taken by a FIFO, device, socket or folder (a link is followed to what it names).
 */
export function checkOutputFile(path: string): void {
  const real = resolvedPath(path);
  const root = underKernelFs(real);
  if (root !== undefined)
    throw new OutputError(path, `it is under ${root}, a kernel file system, not a place for output files`);
  let s: Stats | undefined;
  try {
    s = statSync(path);
  } catch {
    return; // does not exist yet (or cannot be seen): the write reports any real problem
  }
  if (!s.isFile())
    throw new OutputError(
      path,
      `it is ${kindOf(s)}; outputs are written only as regular files (omit -o to write to stdout)`,
    );
}

/**
 * Make `dir` and its missing parents one level at a time: `mkdirSync(..., { recursive: true })`
 * loops forever on some kernel file systems (an ENOENT from /proc is retried without end).
 */
export function makeFolder(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  while (!existsSync(d)) {
    missing.unshift(d);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  // the deepest existing part must be a folder (as recursive mkdir reports it: EEXIST)
  let existing: Stats | undefined;
  try {
    existing = statSync(d);
  } catch {
    existing = undefined;
  }
  if (existing !== undefined && !existing.isDirectory())
    throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${d}'`), { code: "EEXIST" });
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (!lstatSync(m).isDirectory()) throw err;
    }
  }
}

/** Device and inode of a file, when it exists. */
function identity(path: string): string | undefined {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Refuse outputs that are, or resolve to (through links, hard links included), an input of the run,
 * or each other. `outputs` and `inputs` map a description ("-o output", "input pool") to a path.
 */
export function checkOutputsAreNotInputs(
  outputs: Record<string, string | undefined>,
  inputs: Record<string, string | undefined>,
): void {
  const seen = new Map<string, string>();
  const note = (what: string, path: string, isOutput: boolean) => {
    const keys = [`path:${resolvedPath(path)}`];
    const id = identity(path);
    if (id !== undefined) keys.push(`inode:${id}`);
    for (const key of keys) {
      const other = seen.get(key);
      if (other !== undefined && isOutput)
        throw new InputError(
          `${what} ${path} is the same file as the ${other}: choose another path (a run never overwrites its inputs)`,
        );
    }
    for (const key of keys) if (!seen.has(key)) seen.set(key, what);
  };
  for (const [what, path] of Object.entries(inputs)) if (path !== undefined) note(what, path, false);
  for (const [what, path] of Object.entries(outputs)) if (path !== undefined) note(what, path, true);
}

/**
 * The files of a run folder that are inputs: `run --out` into a folder holding its own scenario or
 * pool under an output's name would otherwise replace them.
 */
export function checkFolderOutputs(dir: string, names: readonly string[], inputs: readonly string[]): void {
  checkOutputsAreNotInputs(
    Object.fromEntries(names.map((n) => [`output ${n}`, join(dir, n)])),
    Object.fromEntries(inputs.map((f) => [`input ${f}`, f])),
  );
}

/** Whether `inner` is `outer` or inside it. */
export function isInside(inner: string, outer: string): boolean {
  const r = relative(resolvedPath(outer), resolvedPath(inner));
  return r === "" || (!r.startsWith("..") && !r.startsWith(sep) && !/^[A-Za-z]:/.test(r));
}

/** Remove a file if it is there; for temporaries left by an interrupted write. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing more can be done on the way out
  }
}
