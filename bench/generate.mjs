// Applicants generated per second, in memory and to CSV. Build first: npx tsc -p .
// Usage: node bench/generate.mjs [count=1000000] [spec=qmas-2021]
// Prints one JSON line per measurement. CPU time is reported beside wall time because the machines
// running this are often shared: wall time then measures the neighbours too.
import { mkdirSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { generatePool, loadDistributionSpec, writeApplicantCsv } from "../dist/index.js";

const count = Number(process.argv[2] ?? 1_000_000);
const specId = process.argv[3] ?? "qmas-2021";
const spec = loadDistributionSpec(specId);
const outDir = join("bench", ".out");
mkdirSync(outDir, { recursive: true });

function measure(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  return Promise.resolve(result).then((value) => {
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(cpu0);
    return { value, wall, cpu: (c.user + c.system) / 1e6 };
  });
}

function report(name, m, extra = {}) {
  const line = {
    bench: name,
    spec: specId,
    applicants: count,
    wall_s: Number(m.wall.toFixed(3)),
    cpu_s: Number(m.cpu.toFixed(3)),
    applicants_per_s_wall: Math.round(count / m.wall),
    applicants_per_s_cpu: Math.round(count / m.cpu),
    load_average_1min: Number(loadavg()[0].toFixed(2)),
    ...extra,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

// warm-up (JIT) on a small pool, not measured
generatePool(spec, { count: 20_000, seed: "warm-up" });

const inMemory = await measure(() => generatePool(spec, { count, seed: "bench" }));
report("generate_in_memory", inMemory);

const file = join(outDir, `generate-${specId}-${count}.csv`);
const toCsv = await measure(async () => {
  const pool = generatePool(spec, { count, seed: "bench" });
  await writeApplicantCsv(pool, file);
});
const bytes = statSync(file).size;
report("generate_to_csv", toCsv, {
  csv_bytes: bytes,
  csv_mb_per_s_wall: Number((bytes / 1e6 / toCsv.wall).toFixed(1)),
});
rmSync(file, { force: true });
