import { resolve } from "node:path";
import { QmasError } from "../errors.js";
import { cliMessage, UsageError } from "./usage-error.js";

/**
 * Wrap a command action: typed errors go to stderr as one line each with their exit code; anything
 * else is a bug and prints its stack.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (err instanceof QmasError) {
        process.stderr.write(`${cliMessage(err)}\n`);
        process.exitCode = err.exitCode;
        return;
      }
      process.stderr.write(
        `internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 70;
    }
  };
}

/** Progress output goes to stderr, only when it is a terminal. */
export function stderrIsTty(): boolean {
  return process.stderr.isTTY === true;
}

/** Refuse an output path that is the input file or another output: a run must never destroy its input. */
export function assertDistinctPaths(paths: Record<string, string | undefined>): void {
  const seen = new Map<string, string>();
  for (const [what, path] of Object.entries(paths)) {
    if (path === undefined) continue;
    const abs = resolve(path);
    const other = seen.get(abs);
    if (other !== undefined)
      throw new UsageError(`${what} ${path} is the same file as the ${other}: choose another path`);
    seen.set(abs, what);
  }
}
