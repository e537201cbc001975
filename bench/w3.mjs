// Workload W3 (issues 5 and 7): replications of the baseline scenario, serially (--jobs 1) and on all
// cores, with the same master seed. Each mode runs in a fresh node process, as two `qmas-sim run
// --replications` commands would: a process that has just run the serial job has a warm JIT, and a
// thread of the parallel job that reuses it would flatter the ratio. Times are taken inside the child
// (experiment + report, not node's start). Prints one JSON line: both wall times, their ratio (target
// ≥ 1.7 on 2 cores) and whether the two output folders are byte-identical. Also the CPU time of each
// child (all its threads): serial_cores_busy > 1 says how much of the other core the serial run already
// uses (V8's background compiler and GC). speedup_ceiling = cores / serial_cores_busy is an estimate of
// the best parallel speedup, assuming the parallel run does no less CPU work than the serial one (it
// does more: each thread loads, prepares and compiles for itself).
// usage: node bench/w3.mjs [replications=1000] [scenario=scenarios/baseline.yaml]   (after `npm run build`)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { folderContents, writeExperimentReport } from "../dist/experiments/reports.js";

const [, , first, second, third] = process.argv;
if (first === "--child") {
  // one mode in this process: --child JOBS OUTDIR REPLICATIONS SCENARIO (what the parent spawns)
  const [jobs, outDir, replications, scenario] = [
    Number(second),
    third,
    Number(process.argv[5]),
    process.argv[6],
  ];
  const t = performance.now();
  const cpu = process.cpuUsage();
  let ranAt = Number.NaN;
  const report = await writeExperimentReport(
    { command: "replicate", scenario, replications, seed: "w3" },
    {
      outDir,
      jobs,
      onProgress: (done, total) => {
        if (done === total) ranAt = performance.now();
      },
    },
  );
  // CPU of every thread of this process (V8's compiler and GC threads included), over the same span
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - t) / 1000;
  // the tail: what follows the last replication (the tables, report.html, manifest.json), on this thread
  // in both modes; in the parallel one it also holds stopping the workers (a few ms)
  const tail = (performance.now() - ranAt) / 1000;
  console.log(
    JSON.stringify({
      seconds,
      tail,
      cpu_seconds: (used.user + used.system) / 1e6,
      mode: report.run.mode,
      threads: report.run.workers,
    }),
  );
  process.exit(0);
}

const replications = Number(first ?? 1000);
const scenario = second ?? "scenarios/baseline.yaml";
if (!Number.isInteger(replications) || replications < 1) {
  console.error("usage: node bench/w3.mjs [replications=1000] [scenario]");
  process.exit(2);
}
const cores = availableParallelism();
const root = mkdtempSync(join(tmpdir(), "qmas-w3-"));

function timed(jobs) {
  const outDir = join(root, `jobs-${jobs}`);
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), "--child", String(jobs), outDir, String(replications), scenario],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (child.error) throw new Error(`W3 --jobs ${jobs} could not run: ${child.error.message}`);
  if (child.status !== 0)
    throw new Error(`W3 --jobs ${jobs} failed (${child.signal ?? `exit ${child.status}`}): ${child.stderr}`);
  return { ...JSON.parse(child.stdout.trim().split("\n").at(-1)), outDir };
}

let serial;
let parallel;
let identical;
try {
  serial = timed(1);
  parallel = timed(cores);
  identical = isDeepStrictEqual(folderContents(serial.outDir), folderContents(parallel.outDir));
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(
  JSON.stringify({
    workload: "W3",
    scenario,
    replications,
    cores,
    serial_s: Number(serial.seconds.toFixed(2)),
    parallel_s: Number(parallel.seconds.toFixed(2)),
    serial_cpu_s: Number(serial.cpu_seconds.toFixed(2)),
    parallel_cpu_s: Number(parallel.cpu_seconds.toFixed(2)),
    // cores kept busy on average: "one thread" is more than one core, because V8 compiles and collects
    // garbage on helper threads beside it, on the core the parallel run wants for a second worker
    serial_cores_busy: Number((serial.cpu_seconds / serial.seconds).toFixed(2)),
    parallel_cores_busy: Number((parallel.cpu_seconds / parallel.seconds).toFixed(2)),
    speedup_ceiling: Number((cores / (serial.cpu_seconds / serial.seconds)).toFixed(2)),
    parallel_mode: parallel.mode,
    threads: parallel.threads,
    speedup: Number((serial.seconds / parallel.seconds).toFixed(2)),
    // the replications alone, without the tail that both modes run on one thread
    serial_tail_s: Number(serial.tail.toFixed(2)),
    parallel_tail_s: Number(parallel.tail.toFixed(2)),
    replications_speedup: Number(
      ((serial.seconds - serial.tail) / (parallel.seconds - parallel.tail)).toFixed(2),
    ),
    // CPU the parallel run spends beyond the serial one: each worker's start, module loading and compilation
    extra_cpu_s: Number((parallel.cpu_seconds - serial.cpu_seconds).toFixed(2)),
    ms_per_replication_serial: Number(((serial.seconds * 1000) / replications).toFixed(1)),
    identical,
  }),
);
if (!identical) process.exitCode = 1;
