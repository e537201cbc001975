import { Command } from "commander";
import { vi } from "vitest";

export interface CliOutcome {
  out: string;
  err: string;
  code: number | undefined;
}

/**
 * Run `qmas-sim ARGS` in this process with the commands `register` adds, capturing stdout, stderr and
 * the exit code the action set (process.exitCode is reset afterwards).
 */
export async function captureCli(register: (program: Command) => void, args: string[]): Promise<CliOutcome> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((c) => {
    out += String(c);
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((c) => {
    err += String(c);
    return true;
  });
  process.exitCode = undefined;
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(["node", "qmas-sim", ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { out, err, code };
}
