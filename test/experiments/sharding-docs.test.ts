import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { registerCommands } from "../../src/cli/commands.js";
import { captureCli } from "../cli-capture.js";

/**
 * docs/sharding.md is meant to be copied: its Kubernetes Job runs here as written (only fewer
 * replications, one thread, and a temporary folder for the volume), and its Slurm script asks for
 * the same experiment.
 */
const doc = readFileSync("docs/sharding.md", "utf8");
const blocks = (lang: string) =>
  [...doc.matchAll(/```(\w+)\n([\s\S]*?)```/g)].filter((m) => m[1] === lang).map((m) => m[2]!);

interface JobDoc {
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    template: { spec: { containers: { args: string[] }[] } };
  };
}

const jobs = blocks("yaml")
  .flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as JobDoc))
  .filter((d) => d.kind === "Job");
const argsOf = (name: string) =>
  jobs.find((j) => j.metadata.name === name)!.spec.template.spec.containers[0]!.args;

/** The words of a shell command, with its line continuations joined and its quotes removed. */
function shellWords(text: string): string[] {
  return [...text.replace(/\\\n/g, " ").matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3]!,
  );
}

/** `flag value` pairs replaced in an argument list. */
function withValues(args: readonly string[], values: Record<string, string>): string[] {
  return args.map((a, i) => (i > 0 && values[args[i - 1]!] !== undefined ? values[args[i - 1]!]! : a));
}

afterEach(() => {
  delete process.env["JOB_COMPLETION_INDEX"];
});

describe("docs/sharding.md", () => {
  const indexed = jobs.find((j) => j.spec.completionMode === "Indexed")!;
  const shardArgs = argsOf(indexed.metadata.name);

  it("the Indexed Job's shards, then the merge Job, run as written", async () => {
    const root = mkdtempSync(join(tmpdir(), "qmas-docs-"));
    const volume = (args: string[]) => args.map((a) => a.replace(/^\/results\b/, root));
    const count = indexed.spec.completions!;
    expect(shardArgs).toContain(`env/${count}`);
    const args = volume(withValues(shardArgs, { "--replications": "2", "--jobs": "1" }));
    for (let index = 0; index < count; index++) {
      process.env["JOB_COMPLETION_INDEX"] = String(index);
      const run = await captureCli(registerCommands, args);
      expect(run.err).toBe("");
      expect(run.code).toBeUndefined();
    }
    const merge = await captureCli(registerCommands, volume(argsOf("qmas-merge")));
    expect(merge.err).toBe("");
    const out = volume(argsOf("qmas-merge")).at(-1)!;
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.scenarios).toHaveLength(24);
    expect(existsSync(join(out, "sweep.csv"))).toBe(true);
  });

  it("the Slurm array asks for the same experiment, indices 0 to N − 1", () => {
    const script = blocks("sh").find((b) => b.includes("#SBATCH --array"))!;
    const count = Number(/--shard env\/(\d+)/.exec(script)![1]);
    expect(script).toContain(`#SBATCH --array=0-${count - 1}`);
    const command = shellWords(script.slice(script.indexOf("node dist/cli/main.js"))).slice(2);
    const same = { "--jobs": "J", "--out": "O" };
    expect(withValues(command, same)).toEqual(withValues(shardArgs, same));
  });
});
