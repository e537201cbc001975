import type { Command } from "commander";
import { mergeShards } from "../experiments/merge.js";
import { action } from "./common.js";
import { printWritten } from "./compare.js";

export function registerMerge(program: Command): void {
  program
    .command("merge")
    .description(
      "merge the shards of a run -n, compare or sweep (run with --shard i/N on any number of machines) into the folder one machine would have written with --jobs 1, byte for byte; refuses a missing, duplicated or foreign shard",
    )
    .argument("<dirs...>", "shard folders (shard-i-of-N), or folders holding them")
    .option(
      "--out <dir>",
      "output folder (default: the folder the experiment writes on one machine, under reports/)",
    )
    .option("--quiet", "print only where the merged folder is")
    .addHelpText(
      "after",
      "\nRun it in the folder the shards ran in (the same scenario and data files): the inputs are checked against the shards' hashes.\n\nExample:\n  $ npx qmas-sim sweep scenarios/baseline.yaml --vary quota.per_year=500,1000 -n 100 --shard 1/2 --out reports/q\n  $ npx qmas-sim sweep scenarios/baseline.yaml --vary quota.per_year=500,1000 -n 100 --shard 2/2 --out reports/q\n  $ npx qmas-sim merge reports/q --out reports/baseline-sweep",
    )
    .action(
      action(async (dirs: string[], flags: { out?: string; quiet?: boolean }) => {
        const report = await mergeShards(dirs, { outDir: flags.out });
        printWritten(report);
        if (!flags.quiet)
          process.stdout.write(
            `merged ${report.shards.length} shard(s): ${report.run.units.length} scenario(s) × ${report.run.seeds.length} replication(s), master seed ${report.run.masterSeed}\n`,
          );
      }),
    );
}
