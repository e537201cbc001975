#!/usr/bin/env node
import { Command } from "commander";
import { registerCommands } from "./commands.js";

const program = new Command();
program
  .name("qmas-sim")
  .description("Simulator of Hong Kong's Quality Migrant Admission Scheme")
  .showHelpAfterError("(add --help for usage and an example)");
registerCommands(program);
await program.parseAsync(process.argv);
