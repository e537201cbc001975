import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerCommands } from "../../src/cli/commands.js";
import { QmasError } from "../../src/errors.js";
import { type ExperimentSpec, sha256 } from "../../src/experiments/manifest.js";
import { mergeShards } from "../../src/experiments/merge.js";
import { folderContents, writeExperimentReport } from "../../src/experiments/reports.js";
import { rerunManifest } from "../../src/experiments/rerun.js";
import { decodeShardRun, encodeShardRun, writeShard } from "../../src/experiments/shard.js";
import { captureCli } from "../cli-capture.js";

/** Shards run one after another here stand for machines; the merge must give the one-machine --jobs 1 bytes. */
const small = "test/experiments/fixtures/small.yaml";
const doubled = "test/experiments/fixtures/small-doubled.yaml";
const tmp = () => mkdtempSync(join(tmpdir(), "qmas-merge-test-"));

/** File name → sha256 of its bytes, for a readable byte-for-byte comparison of two folders. */
function hashes(dir: string): Record<string, string> {
  return Object.fromEntries([...folderContents(dir)].map(([name, bytes]) => [name, sha256(bytes)]));
}

async function shards(spec: ExperimentSpec, count: number, outDir: string): Promise<string[]> {
  const dirs: string[] = [];
  for (let index = 1; index <= count; index++)
    dirs.push((await writeShard(spec, { index, count }, { outDir, jobs: 1 })).outDir);
  return dirs;
}

async function refusal(merge: Promise<unknown>): Promise<string[]> {
  try {
    await merge;
  } catch (err) {
    if (err instanceof QmasError) return err.format().split("\n");
    throw err;
  }
  throw new Error("the merge was not refused");
}

const cli = (args: string[]) => captureCli(registerCommands, args);

afterEach(() => {
  process.exitCode = undefined;
  delete process.env["JOB_COMPLETION_INDEX"];
});

describe("3 shards merged = one machine with --jobs 1, byte for byte", () => {
  const cases: [string, ExperimentSpec][] = [
    ["replications", { command: "replicate", scenario: small, replications: 7, seed: "s1" }],
    ["a comparison", { command: "compare", baseline: small, reform: doubled, replications: 5, seed: "s2" }],
    [
      "a sweep",
      {
        command: "sweep",
        scenario: small,
        vary: [
          { path: "quota.per_year", values: [100, 200] },
          { path: "pass_mark", values: [80, 100] },
        ],
        replications: 4,
        seed: "s3",
      },
    ],
  ];
  for (const [what, spec] of cases) {
    it(`${what}: every file identical, and the merged folder reruns byte for byte`, async () => {
      const root = tmp();
      const dirs = await shards(spec, 3, join(root, "shards"));
      // the shards given in any order
      const merged = await mergeShards([dirs[2]!, dirs[0]!, dirs[1]!], { outDir: join(root, "merged") });
      expect(merged.shards).toEqual(dirs);
      await writeExperimentReport(spec, { outDir: join(root, "one"), jobs: 1 });
      const one = hashes(join(root, "one"));
      expect(Object.keys(one)).toContain("replications.csv");
      expect(Object.keys(one)).toContain("report.html");
      expect(hashes(join(root, "merged"))).toEqual(one);
      const again = await rerunManifest(join(root, "merged", "manifest.json"), { jobs: 1 });
      expect(again.different).toEqual([]);
      await expect(rerunManifest(join(dirs[0]!, "shard.json"))).rejects.toThrow(
        "shard 1/3 of an experiment: merge its shards (qmas-sim merge), then rerun the merged folder's manifest.json",
      );
    });
  }

  it("the CLI: three shards with env/3 (the Kubernetes index) and merge of their parent folder", async () => {
    const root = tmp();
    const args = ["compare", small, doubled, "-n", "4", "--seed", "k", "--jobs", "1", "--quiet"];
    for (const index of ["0", "1", "2"]) {
      process.env["JOB_COMPLETION_INDEX"] = index;
      const { out, code } = await cli([...args, "--shard", "env/3", "--out", join(root, "shards")]);
      expect(code).toBeUndefined();
      const n = Number(index) + 1;
      expect(out).toBe(
        `shard written to ${join(root, "shards", `shard-${n}-of-3`)}/ (runs.jsonl.gz, shard.json)\n`,
      );
    }
    const merged = await cli(["merge", join(root, "shards"), "--out", join(root, "merged"), "--quiet"]);
    expect(merged.err).toBe("");
    expect(merged.out).toMatch(/^reports written to .*merged\/ \(/);
    await cli([...args, "--out", join(root, "one")]);
    expect(hashes(join(root, "merged"))).toEqual(hashes(join(root, "one")));
  });

  it("a shard's runs file keeps -0, NaN and ±Infinity as they were", () => {
    const run = {
      unit: 1,
      replication: 2,
      seed: "x",
      metrics: [
        {
          name: "t",
          keyColumns: [],
          metricColumns: ["a", "b", "c", "d"],
          rows: [[-0, Number.NaN, Infinity, -Infinity]],
        },
      ],
    };
    const back = decodeShardRun(encodeShardRun(run));
    const row = back.metrics[0]!.rows[0]!;
    expect(Object.is(row[0], -0)).toBe(true);
    expect(row.slice(1)).toEqual([Number.NaN, Infinity, -Infinity]);
  });
});

describe("merges that are refused, each problem on a line naming the shard", () => {
  const spec: ExperimentSpec = { command: "replicate", scenario: small, replications: 6, seed: "b" };
  const root = tmp();
  let dirs: string[] = [];
  let otherSeed: string[] = [];
  let twoShards: string[] = [];
  beforeAll(async () => {
    dirs = await shards(spec, 3, join(root, "ok"));
    otherSeed = await shards({ ...spec, seed: "c" }, 3, join(root, "seed-c"));
    twoShards = await shards(spec, 2, join(root, "two"));
  });
  const out = () => join(tmp(), "merged");

  it("a missing shard", async () => {
    const to = out();
    expect(await refusal(mergeShards([dirs[0]!, dirs[2]!], { outDir: to }))).toEqual([
      "shard 2/3 is missing",
    ]);
    expect(existsSync(to)).toBe(false);
  });

  it("a shard given twice, even as an identical copy", async () => {
    const copy = join(tmp(), "copy-of-2");
    cpSync(dirs[1]!, copy, { recursive: true });
    expect(await refusal(mergeShards([...dirs, copy], { outDir: out() }))).toEqual([
      `shard 2/3 is given more than once: ${dirs[1]}, ${copy}`,
    ]);
  });

  it("a shard of another experiment (another master seed; another N), and the shard it leaves missing", async () => {
    expect(await refusal(mergeShards([dirs[0]!, otherSeed[1]!, dirs[2]!], { outDir: out() }))).toEqual([
      `${otherSeed[1]}: shard 2/3 of another experiment than ${dirs[0]} (master seed c, not b)`,
      "shard 2/3 is missing",
    ]);
    expect(await refusal(mergeShards([...dirs, twoShards[0]!], { outDir: out() }))).toEqual([
      `${twoShards[0]}: shard 1/2 of another experiment than ${dirs[0]} (one of 2 shards, not 3)`,
    ]);
  });

  it("a runs file changed after its shard was written, and a folder that is not a shard", async () => {
    const copy = join(tmp(), "edited");
    cpSync(dirs[1]!, copy, { recursive: true });
    const file = join(copy, "runs.jsonl.gz");
    const lines = gunzipSync(readFileSync(file)).toString("utf8").split("\n");
    writeFileSync(file, gzipSync(lines.slice(1).join("\n")));
    const empty = tmp();
    expect(await refusal(mergeShards([dirs[0]!, copy, dirs[2]!], { outDir: out() }))).toEqual([
      `${file}: not the file shard.json describes (its sha256 differs)`,
    ]);
    expect(await refusal(mergeShards([empty, ...dirs], { outDir: out() }))).toEqual([
      `${empty}: not a shard folder of qmas-sim (no shard.json in it or its sub-folders)`,
    ]);
  });

  it("--out that is a shard folder or holds one", async () => {
    await expect(mergeShards(dirs, { outDir: dirs[0]! })).rejects.toThrow(
      /must be a folder apart from the shard folders/,
    );
    await expect(mergeShards(dirs, { outDir: join(root, "ok") })).rejects.toThrow(
      /apart from the shard folders/,
    );
  });

  it("a scenario file changed since the shards ran", async () => {
    const dir = tmp();
    const scenario = join(dir, "tiny.yaml");
    writeFileSync(scenario, readFileSync(small, "utf8"));
    const tiny = await shards({ ...spec, scenario }, 2, join(dir, "shards"));
    writeFileSync(scenario, readFileSync(small, "utf8").replace("per_year: 160", "per_year: 170"));
    expect(await refusal(mergeShards(tiny, { outDir: join(dir, "merged") }))).toEqual([
      "scenario small resolves differently here than on the shards",
      `${scenario}: not the file the shards read (its sha256 differs)`,
    ]);
  });

  it("the CLI prints one line per problem on stderr and exits 2", async () => {
    const { out: stdout, err, code } = await cli(["merge", dirs[0]!, otherSeed[2]!, "--out", out()]);
    expect(stdout).toBe("");
    expect(code).toBe(2);
    expect(err).toBe(
      [
        `${otherSeed[2]}: shard 3/3 of another experiment than ${dirs[0]} (master seed c, not b)`,
        "shard 2/3 is missing",
        "shard 3/3 is missing",
        "",
      ].join("\n"),
    );
  });
});
