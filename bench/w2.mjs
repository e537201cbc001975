// Workload W2: 40 quarters × 250,000 arrivals (10,000,000 applications) generated from the
// qmas-2021 spec, scored with qmas-gpt-2018, assessed and selected in memory, no output files.
// Prints one JSON line; compare with the bare-engine peer (the same work in bare typed-array loops, one
// thread; a script kept outside this repository, run by bench/run.mjs when present).
//   node bench/w2.mjs [arrivalsPerQuarter=250000] [quarters=40]               what `qmas-sim run` does:
//        runScenarioParallel, arrivals made on worker threads (--threads N, default: all cores)
//   node bench/w2.mjs [...] --stages       the same run in one thread, timing generate / score / store / engine
//        (and the residence pipeline after allotment) apart
//   node bench/w2.mjs [...] --engine-only  arrivals are synthetic pre-scored columns (bare_engine's distributions,
//        no generator, no scorer), so the selection engine's own cost is measured apart
// (after `npm run build`)
import { availableParallelism } from "node:os";
import { generatePool } from "../dist/applicants/generate/index.js";
import { allocateColumns } from "../dist/applicants/pool.js";
import { formatIsoDay, quarterStartDay } from "../dist/dates.js";
import { loadScenarioInputs, summarizeRun, validateScenario } from "../dist/index.js";
import { scorePool } from "../dist/rules/batch.js";
import { columnsRead } from "../dist/simulation/arrivals.js";
import { runScenarioParallel } from "../dist/simulation/parallel.js";
import { residenceOfRun } from "../dist/simulation/residence.js";
import { generatedPlan, policyOf, runWindow } from "../dist/simulation/run.js";
import { Applications, prepareBatch } from "../dist/simulation/store.js";
import { simulation } from "../dist/simulation/timeline.js";

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const threadsAt = argv.indexOf("--threads");
const threads = threadsAt >= 0 ? Number(argv[threadsAt + 1]) : availableParallelism();
const args = argv.filter((a, i) => !a.startsWith("--") && (threadsAt < 0 || i !== threadsAt + 1));
const mode = flag("--engine-only") ? "engine-only" : flag("--stages") ? "stages" : "run";
const arrivals = Number(args[0] ?? 250_000);
const quarters = Number(args[1] ?? 40);
let peakRss = process.memoryUsage().rss;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
setInterval(sample, 25).unref();

// bare_engine allots 1,000 a quarter: the same here (4,000 a year over four exercises).
const scenario = validateScenario(
  {
    name: "w2",
    seed: 2,
    period: { from: "2019-01-01", quarters },
    pool: { spec: "qmas-2021", arrivals_per_quarter: arrivals, poisson: false },
    rules: "qmas-gpt-2018",
    quota: { per_year: 4000 },
  },
  "bench/w2.mjs",
);
const t0 = performance.now();
const inputs = await loadScenarioInputs(scenario);
const t1 = performance.now();
const out = {
  workload: `w2-${mode}`,
  arrivals_per_quarter: arrivals,
  quarters,
  load_ms: Math.round(t1 - t0),
};
let result;

if (mode === "run") {
  const run = await runScenarioParallel(scenario, inputs, { threads });
  result = run.result;
  out.threads = run.arrivalThreads || 1;
} else {
  // one thread, the steps of runScenario/arrivalBatch timed apart
  const policy = policyOf(scenario, runWindow(scenario, inputs));
  const { poolSeed, tasks, options } = generatedPlan(scenario, inputs, scenario.seed);
  const only = columnsRead(inputs.ruleBook, options.rules);
  const apps = new Applications(arrivals * quarters);
  const ms = { generate: 0, score: 0, store: 0 };
  const steps = simulation(apps, policy, scenario.seed);
  const t = performance.now();
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) {
      result = step.value;
      break;
    }
    const task = tasks.get(step.value);
    if (!task) continue;
    const a = performance.now();
    let pool;
    let scores;
    if (mode === "engine-only") ({ pool, scores } = syntheticArrivals(step.value));
    else {
      pool = generatePool(inputs.spec, {
        count: task.count,
        seed: poolSeed,
        from: formatIsoDay(quarterStartDay(task.quarter)),
        to: formatIsoDay(quarterStartDay(task.quarter + 1) - 1),
        startIndex: task.startIndex,
        only,
      });
    }
    const b = performance.now();
    if (mode !== "engine-only") scores = scorePool(pool, inputs.ruleBook, { ...options, breakdown: false });
    const c = performance.now();
    apps.append(
      prepareBatch(pool, scores, {
        prefix: inputs.spec.ids.prefix,
        width: inputs.spec.ids.width,
        startIndex: task.startIndex,
      }),
    );
    const d = performance.now();
    ms.generate += b - a;
    ms.score += c - b;
    ms.store += d - c;
    sample();
  }
  const loop = performance.now() - t;
  out.threads = 1;
  out.generate_ms = Math.round(ms.generate);
  out.score_ms = Math.round(ms.score);
  out.store_ms = Math.round(ms.store);
  out.engine_ms = Math.round(loop - ms.generate - ms.score - ms.store);
}
const t2 = performance.now();
const s = summarizeRun(result);
const t3 = performance.now();
// "run" mode includes the residence pipeline (runScenarioParallel runs it after the selection); the
// stage modes time it apart, on the run's allotted principals
if (mode !== "run" && inputs.residence) {
  const r0 = performance.now();
  residenceOfRun(result, inputs.residence, scenario.seed);
  out.residence_ms = Math.round(performance.now() - r0);
}
sample();
Object.assign(out, {
  applications: s.applications,
  allotted: s.allotted,
  summary_ms: Math.round(t3 - t2),
  total_ms: Math.round(t3 - t0),
  ns_per_application: Math.round(((t3 - t0) * 1e6) / s.applications),
  peak_rss_mb: Math.round(peakRss / 1e6),
});
console.log(JSON.stringify(out));

// bare_engine's xorshift-style stream: cheap synthetic scores for --engine-only
function syntheticArrivals(quarter) {
  let rs = 0x9e3779b9 ^ quarter;
  const rand = () => {
    rs ^= rs << 13;
    rs ^= rs >>> 17;
    rs ^= rs << 5;
    return (rs >>> 0) / 4294967296;
  };
  const c = allocateColumns(arrivals);
  const start = quarterStartDay(quarter);
  const days = quarterStartDay(quarter + 1) - start;
  const total = new Int16Array(arrivals);
  const eligible = new Uint8Array(arrivals);
  const passed = new Uint8Array(arrivals);
  for (let i = 0; i < arrivals; i++) {
    c.applied_on[i] = start + Math.floor(rand() * days);
    c.age[i] = 22 + Math.floor(rand() * 30);
    c.children_under_18[i] = Math.floor(rand() * 3);
    total[i] = 5 * Math.floor(rand() * 40);
    eligible[i] = rand() < 0.95 ? 1 : 0;
    passed[i] = eligible[i] && total[i] >= 80 ? 1 : 0;
  }
  const pool = {
    size: arrivals,
    ids: { kind: "generated", prefix: "S", width: 8 },
    columns: c,
    dictionaries: { region: ["other"], sector: ["other"], profession: [""] },
  };
  const scores = {
    size: arrivals,
    ruleSetIds: ["qmas-gpt-2018"],
    ruleSet: new Uint8Array(arrivals),
    route: new Uint8Array(arrivals),
    eligible,
    failedPrerequisites: new Uint32Array(arrivals),
    total,
    passed,
    factorIds: [],
    factorPoints: [],
  };
  return { pool, scores };
}
