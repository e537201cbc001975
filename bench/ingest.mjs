// CSV ingest alone (issues 2 and 7): readApplicantCsv on an applicant CSV, validated into typed-array
// columns. Prints one JSON line with rows/s and MB/s, wall and CPU time (the machines are shared).
// usage: node bench/ingest.mjs POOL.csv   (after `npm run build`)
import { statSync } from "node:fs";
import { readApplicantCsv } from "../dist/applicants/csv/index.js";

const file = process.argv[2];
if (!file) {
  console.error("usage: node bench/ingest.mjs POOL.csv");
  process.exit(2);
}
const mb = statSync(file).size / 1e6;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const read = await readApplicantCsv(file);
const wall = (performance.now() - t0) / 1000;
const c = process.cpuUsage(cpu0);
const cpu = (c.user + c.system) / 1e6;
console.log(
  JSON.stringify({
    rows: read.rowsRead,
    rejected: read.rejected,
    mb: +mb.toFixed(1),
    wall_s: +wall.toFixed(3),
    cpu_s: +cpu.toFixed(3),
    rows_per_s: Math.round(read.rowsRead / wall),
    mb_per_s: +(mb / wall).toFixed(1),
    mb_per_cpu_s: +(mb / cpu).toFixed(1),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
