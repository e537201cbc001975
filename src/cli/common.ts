import { QmasError } from "../errors.js";

/**
 * Wrap a command action: typed errors go to stderr as one line each with their exit code; anything
 * else is a bug and prints its stack.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (err instanceof QmasError) {
        process.stderr.write(`${err.format()}\n`);
        process.exitCode = err.exitCode;
        return;
      }
      process.stderr.write(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 70;
    }
  };
}

/** Progress output goes to stderr, only when it is a terminal. */
export function stderrIsTty(): boolean {
  return process.stderr.isTTY === true;
}
