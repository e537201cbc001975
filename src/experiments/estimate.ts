import { statSync } from "node:fs";
import { loadDistributionSpec } from "../applicants/generate/index.js";
import { parseIsoDay, quarterOfDay } from "../dates.js";
import { InputError, ScenarioError } from "../errors.js";
import { defaultMemoryBudgetBytes, formatBytes, formatCount, LIMITS, MEMORY_MODEL } from "../limits.js";
import type { ResolvedScenario } from "../scenario/extends.js";

/**
 * The size of a run, known before it starts: a spec pool's expected applications (arrivals per
 * quarter × the mean seasonal multiplier × quarters), or a CSV pool's rows as guessed from the file's
 * size (≈150 bytes a row; the reader enforces the exact row limit). Used to refuse, with the key to
 * change, a run that would exceed LIMITS.applicationsPerRun or the memory budget.
 */
export interface RunSize {
  applications: number;
  bytes: number;
}

const BYTES_PER_CSV_ROW_ON_DISK = 150;

function specPeriodQuarters(unit: ResolvedScenario, dataDir: string): number {
  const period = (unit.spec?.["period"] ??
    loadDistributionSpec(String((unit.scenario["pool"] as { spec: string }).spec), dataDir).period) as {
    from: string;
    to: string;
  };
  return quarterOfDay(parseIsoDay(period.to)) - quarterOfDay(parseIsoDay(period.from)) + 1;
}

export function estimateRun(unit: ResolvedScenario, dataDir = "data"): RunSize {
  const scenario = unit.scenario as {
    period: { quarters: number } | null;
    pool: { csv?: string; spec?: string; arrivals_per_quarter?: number; seasonal: number[] };
  };
  const file = unit.chain[0] ?? unit.name;
  if (scenario.pool.csv !== undefined) {
    let size = 0;
    try {
      size = statSync(scenario.pool.csv).size;
    } catch {
      // a missing pool is reported when it is read
    }
    const rows = Math.ceil(size / BYTES_PER_CSV_ROW_ON_DISK);
    return { applications: rows, bytes: rows * MEMORY_MODEL.perCsvRow };
  }
  const quarters = scenario.period?.quarters ?? specPeriodQuarters(unit, dataDir);
  const seasonal = scenario.pool.seasonal;
  const mean = seasonal.reduce((a, b) => a + b, 0) / seasonal.length;
  const applications = Math.ceil((scenario.pool.arrivals_per_quarter ?? 0) * mean * quarters);
  if (applications > LIMITS.applicationsPerRun)
    throw new ScenarioError(
      file,
      "pool.arrivals_per_quarter",
      `about ${formatCount(applications)} applications over ${quarters} quarters, above the limit of ${formatCount(LIMITS.applicationsPerRun)} applications per run`,
    );
  return { applications, bytes: applications * MEMORY_MODEL.perGeneratedApplication };
}

/** `--max-memory <MB>`: the budget in bytes, or the default (half the machine's memory). */
export function memoryBudget(maxMemoryMb: number | undefined): { bytes: number; why: string } {
  if (maxMemoryMb !== undefined) return { bytes: maxMemoryMb * 1e6, why: "--max-memory" };
  return { bytes: defaultMemoryBudgetBytes(), why: "half this machine's memory" };
}

/** Refuse `what` when `bytes` (besides the process itself) would take the memory over the budget. */
export function checkMemoryBytes(what: string, bytes: number, detail: string, maxMemoryMb?: number): void {
  const needed = MEMORY_MODEL.baseBytes + bytes;
  const budget = memoryBudget(maxMemoryMb);
  if (needed > budget.bytes)
    throw new InputError(
      `${what}: needs an estimated ${formatBytes(needed)} of memory (${detail}), above the limit of ${formatBytes(budget.bytes)} (${budget.why}); make it smaller, or add --max-memory ${Math.ceil(needed / 1e6)} to run anyway`,
    );
}

/**
 * Refuse before starting when the estimated peak memory is above the budget: `perThread` runs of the
 * largest unit at once (one per thread of an experiment).
 */
export function checkMemory(
  what: string,
  units: readonly ResolvedScenario[],
  opts: { threads?: number; maxMemoryMb?: number; dataDir?: string } = {},
): void {
  let largest: RunSize = { applications: 0, bytes: 0 };
  for (const u of units) {
    const size = estimateRun(u, opts.dataDir);
    if (size.bytes > largest.bytes) largest = size;
  }
  const threads = Math.max(1, opts.threads ?? 1);
  checkMemoryBytes(
    what,
    largest.bytes * threads,
    `about ${formatCount(largest.applications)} applications per run${threads > 1 ? `, ${threads} runs at once` : ""}`,
    opts.maxMemoryMb,
  );
}

/** `--max-memory <MB>` as given on the command line. */
export function parseMaxMemory(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new InputError(`--max-memory expects a whole number of megabytes ≥ 1 (got '${text}')`);
  return n;
}
