import { QmasError } from "../errors.js";
import { checkOutputFile, checkOutputsAreNotInputs } from "../output-guard.js";
import { cliMessage } from "./usage-error.js";

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

/**
 * Refuse, before any work, an output path that is an input (also through a link) or another output,
 * or that cannot be a regular file (a FIFO, a device, a path under /proc): a run must never destroy
 * its input or a special file.
 */
export function checkCommandPaths(
  outputs: Record<string, string | undefined>,
  inputs: Record<string, string | undefined>,
): void {
  checkOutputsAreNotInputs(outputs, inputs);
  for (const path of Object.values(outputs)) if (path !== undefined) checkOutputFile(path);
}
