import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256File } from "../../src/file-hash.js";
import { CLI, cli, ensureBuilt } from "./cli.js";

beforeAll(ensureBuilt);

const POOL = resolve("data/samples/sample-pool.csv");
const BASELINE = resolve("scenarios/baseline.yaml");
const fresh = (name: string) => mkdtempSync(join(tmpdir(), `qmas-${name}-`));

describe("outputs are regular files in a folder the run owns", () => {
  it("refuses a FIFO as -o and leaves it a FIFO", () => {
    const dir = fresh("fifo");
    const fifo = join(dir, "pipe");
    if (spawnSync("mkfifo", [fifo]).status !== 0) return; // no mkfifo on this system
    const r = cli(["score", POOL, "-o", fifo]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      `${fifo}: cannot write: it is a FIFO (named pipe); outputs are written only as regular files (omit -o to write to stdout)`,
    );
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it("refuses a device node and paths under /proc and /sys without hanging", () => {
    const dev = cli(["score", POOL, "-o", "/dev/null"]);
    expect(dev.code).toBe(2);
    expect(dev.err).toContain("/dev/null: cannot write: it is a character device");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    const proc = cli(["run", BASELINE, "--out", "/proc/qmas-out", "--quiet"], { timeout: 30_000 });
    expect(proc.signal).toBeNull();
    expect(proc.code).toBe(2);
    expect(proc.err).toContain("it is under /proc, a kernel file system");
    const sys = cli(["generate", "--spec", "qmas-2021", "--count", "1", "--seed", "1", "-o", "/sys/x.csv"]);
    expect(sys.code).toBe(2);
    expect(sys.err).toContain("it is under /sys");
  });

  it("never writes over an input, named directly or through a symbolic link", () => {
    const dir = fresh("inputs");
    const pool = join(dir, "pool.csv");
    copyFileSync(POOL, pool);
    symlinkSync(pool, join(dir, "link.csv"));
    const before = readFileSync(pool, "utf8");
    const viaLink = cli(["score", join(dir, "link.csv"), "-o", pool]);
    expect(viaLink.code).toBe(2);
    expect(viaLink.err).toMatch(/-o output .*pool\.csv is the same file as the input pool/);
    const spec = join(dir, "spec.yaml");
    copyFileSync("data/distributions/qmas-2021.yaml", spec);
    const gen = cli(["generate", "--spec", spec, "--count", "1", "--seed", "1", "-o", spec]);
    expect(gen.code).toBe(2);
    expect(gen.err).toContain("is the same file as the distribution spec");
    expect(readFileSync(pool, "utf8")).toBe(before);
  });

  it("run --out never replaces its own scenario or pool files in that folder", () => {
    const dir = fresh("own-input");
    const scenario = join(dir, "decisions.csv"); // a scenario saved under an output's name
    copyFileSync(BASELINE, scenario);
    const before = readFileSync(scenario, "utf8");
    const r = cli(["run", scenario, "--out", dir, "--quiet", "--force"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("is the same file as the input");
    expect(readFileSync(scenario, "utf8")).toBe(before);
  });

  it("refuses a folder holding another run or other files unless --force; the same run may be replaced", () => {
    const dir = fresh("owned");
    expect(cli(["run", BASELINE, "--out", dir, "--quiet"]).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    // every output's hash is in the manifest
    expect(Object.keys(manifest.output_sha256)).toEqual([
      "decisions.csv",
      "rounds.csv",
      "cohort.csv",
      "residence.csv",
      "cohorts.csv",
      "report.html",
      "summary.md",
    ]);
    expect(cli(["run", BASELINE, "--out", dir, "--quiet"]).code).toBe(0);
    const other = cli(["run", "scenarios/quota-doubled.yaml", "--out", dir, "--quiet"]);
    expect(other.code).toBe(2);
    expect(other.err.trim()).toBe(
      `${dir}/ holds another run (run baseline): choose another --out, or add --force to replace its files`,
    );
    const home = fresh("home");
    writeFileSync(join(home, "notes.txt"), "mine");
    const foreign = cli(["run", BASELINE, "--out", home, "--quiet"]);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toContain("is not empty and holds no run (1 other file(s), e.g. notes.txt)");
    expect(cli(["run", BASELINE, "--out", home, "--quiet", "--force"]).code).toBe(0);
    expect(readFileSync(join(home, "notes.txt"), "utf8")).toBe("mine");
    // rerun --out obeys the same rule
    const again = fresh("rerun-out");
    writeFileSync(join(again, "notes.txt"), "mine");
    const rerun = cli(["rerun", join(dir, "manifest.json"), "--out", again]);
    expect(rerun.code).toBe(2);
    expect(rerun.err).toContain("is not empty and holds no run");
  });

  it("a run interrupted by a signal leaves no temporaries and never a folder that looks complete; rerun ignores stray ones, naming them", async () => {
    const dir = fresh("killed");
    expect(cli(["run", BASELINE, "--out", dir, "--quiet"]).code).toBe(0);
    // a large run, stopped once it has started writing
    const scenario = join(dir, "..", `big-${Date.now()}.yaml`);
    writeFileSync(
      scenario,
      readFileSync(BASELINE, "utf8").replace("arrivals_per_quarter: 750", "arrivals_per_quarter: 400000"),
    );
    const out = join(fresh("killed-big"), "run");
    const child = spawn(process.execPath, [CLI, "run", scenario, "--out", out, "--quiet"]);
    await new Promise<void>((done) => {
      const poll = setInterval(() => {
        const tmp = existsSync(out) && readdirSync(out).some((f) => f.endsWith(".tmp"));
        if (tmp) {
          clearInterval(poll);
          child.kill("SIGTERM");
          done();
        }
      }, 20);
      child.on("exit", () => {
        clearInterval(poll);
        done();
      });
    });
    await new Promise((done) => child.on("exit", done).on("close", done));
    const left = existsSync(out) ? readdirSync(out) : [];
    expect(left.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    // a signal met in the middle of synchronous writing is acted on when that ends, and the run may
    // then be complete: either way the folder never looks complete when it is not
    if (left.includes("manifest.json")) {
      const hashes = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).output_sha256 as Record<
        string,
        string
      >;
      for (const [name, sha] of Object.entries(hashes)) expect(sha256File(join(out, name)), name).toBe(sha);
    }
    // a kill that cannot be caught (SIGKILL) leaves a temporary: rerun names it and still compares
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, ".decisions.csv.0123456789ab.tmp"), "partial");
    const rerun = cli(["rerun", join(dir, "manifest.json")]);
    expect(rerun.code).toBe(0);
    expect(rerun.err).toContain("ignored 1 temporary file(s) left in");
    expect(rerun.err).toContain(".decisions.csv.0123456789ab.tmp");
    expect(rerun.out).toMatch(/^reproduced byte for byte: 8 file\(s\)/);
  });
});
