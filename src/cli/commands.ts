import type { Command } from "commander";
import { registerCompare } from "./compare.js";
import { registerExplain } from "./explain.js";
import { registerGenerate } from "./generate.js";
import { registerMerge } from "./merge.js";
import { registerRerun } from "./rerun.js";
import { registerRules } from "./rules.js";
import { registerRun } from "./run.js";
import { registerScore } from "./score.js";
import { registerShow } from "./show.js";
import { registerSweep } from "./sweep.js";
import { registerValidate } from "./validate.js";

/** Each command lives in its own module and registers itself here. */
export function registerCommands(program: Command): void {
  registerRun(program);
  registerShow(program);
  registerCompare(program);
  registerSweep(program);
  registerMerge(program);
  registerRerun(program);
  registerGenerate(program);
  registerScore(program);
  registerExplain(program);
  registerRules(program);
  registerValidate(program);
}
