#!/usr/bin/env node
import { Command, type CommanderError } from "commander";
import { removeTemporariesOnExit } from "../atomic.js";
import { registerCommands } from "./commands.js";

// A reader that stops early (`qmas-sim score pool.csv | head`) is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

removeTemporariesOnExit();

const program = new Command();
program
  .name("qmas-sim")
  .description("Simulator of Hong Kong's Quality Migrant Admission Scheme")
  .showHelpAfterError("(add --help for usage and an example)")
  // Usage errors (a missing option, an unknown flag) exit 2 like every other input error; --help exits 0.
  .exitOverride((err: CommanderError) => {
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
registerCommands(program);
await program.parseAsync(process.argv);
