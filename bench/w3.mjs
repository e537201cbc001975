// Workload W3 (issues 5 and 7): replications of the baseline scenario, serially (--jobs 1) and on all
// cores (worker threads), with the same master seed. Prints one JSON line: both wall times, their ratio
// (target ≥ 1.7 on 2 cores) and whether the two output folders are byte-identical.
// usage: node bench/w3.mjs [replications=1000] [scenario=scenarios/baseline.yaml]   (after `npm run build`)
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { folderContents, writeExperimentReport } from "../dist/experiments/reports.js";

const replications = Number(process.argv[2] ?? 1000);
const scenario = process.argv[3] ?? "scenarios/baseline.yaml";
if (!Number.isInteger(replications) || replications < 1) {
  console.error("usage: node bench/w3.mjs [replications=1000] [scenario]");
  process.exit(2);
}
const cores = availableParallelism();
const root = mkdtempSync(join(tmpdir(), "qmas-w3-"));
const spec = { command: "replicate", scenario, replications, seed: "w3" };

async function timed(jobs) {
  const outDir = join(root, `jobs-${jobs}`);
  const t = performance.now();
  const report = await writeExperimentReport(spec, { outDir, jobs });
  return { seconds: (performance.now() - t) / 1000, outDir, mode: report.run.mode, workers: report.run.workers };
}

const serial = await timed(1);
const parallel = await timed(cores);
const identical = isDeepStrictEqual(folderContents(serial.outDir), folderContents(parallel.outDir));
rmSync(root, { recursive: true, force: true });
console.log(
  JSON.stringify({
    workload: "W3",
    scenario,
    replications,
    cores,
    serial_s: Number(serial.seconds.toFixed(2)),
    parallel_s: Number(parallel.seconds.toFixed(2)),
    parallel_mode: parallel.mode,
    workers: parallel.workers,
    speedup: Number((serial.seconds / parallel.seconds).toFixed(2)),
    ms_per_replication_serial: Number(((serial.seconds * 1000) / replications).toFixed(1)),
    identical,
  }),
);
if (!identical) process.exitCode = 1;
