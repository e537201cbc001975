import type { Command } from "commander";
import { registerRun } from "./run.js";
import { registerGenerate } from "./generate.js";

/** Each command lives in its own module and registers itself here. */
export function registerCommands(program: Command): void {
  registerRun(program);
  registerGenerate(program);
}
