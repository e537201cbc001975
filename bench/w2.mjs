// Workload W2 (issue 7): 40 quarters × 250,000 arrivals (10,000,000 applications) generated from the
// qmas-2021 spec, scored with qmas-gpt-2018, assessed and selected in memory, no output files.
// It runs exactly what runScenario does (a quarter's arrivals generated, scored, handed to the engine)
// but times the three stages apart. Prints one JSON line; compare with ../shared/peers/bare_engine.mjs
// (the same work in bare typed-array loops).
// With --engine-only, arrivals are synthetic pre-scored columns (bare_engine's distributions, no
// generator, no scorer) so the selection engine's own cost is measured apart.
// usage: node bench/w2.mjs [arrivalsPerQuarter=250000] [quarters=40] [--engine-only]   (after `npm run build`)
import { generatePool } from "../dist/applicants/generate.js";
import { allocateColumns } from "../dist/applicants/pool.js";
import { formatIsoDay, quarterStartDay } from "../dist/dates.js";
import { Applications, loadScenarioInputs, policyOf, simulate, summarize, validateScenario } from "../dist/index.js";
import { scorePool } from "../dist/rules/batch.js";
import { runWindow } from "../dist/simulation/run.js";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const engineOnly = process.argv.includes("--engine-only");
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
const window = runWindow(scenario, inputs);
const policy = policyOf(scenario, window);
const spec = inputs.spec;
let generateMs = 0;
let scoreMs = 0;
let addMs = 0;
let next = 0;
const apps = new Applications(arrivals * quarters);
const t1 = performance.now();
// bare_engine's xorshift-style stream: cheap synthetic scores for --engine-only
let rs = 0x9e3779b9;
const rand = () => {
  rs ^= rs << 13;
  rs ^= rs >>> 17;
  rs ^= rs << 5;
  return (rs >>> 0) / 4294967296;
};
function syntheticArrivals(quarter) {
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
  const pool = { size: arrivals, ids: { kind: "generated", prefix: "S", width: 8 }, columns: c, dictionaries: { region: ["other"], sector: ["other"], profession: [""] } };
  const scores = { size: arrivals, ruleSetIds: ["qmas-gpt-2018"], ruleSet: new Uint8Array(arrivals), route: new Uint8Array(arrivals), eligible, failedPrerequisites: new Uint32Array(arrivals), total, passed, factorIds: [], factorPoints: [] };
  return { pool, scores };
}

const result = simulate(apps, policy, scenario.seed, (quarter, store) => {
  const a = performance.now();
  let pool;
  let scores;
  if (engineOnly) ({ pool, scores } = syntheticArrivals(quarter));
  else {
    pool = generatePool(spec, {
      count: arrivals,
      seed: "w2-pool",
      from: formatIsoDay(quarterStartDay(quarter)),
      to: formatIsoDay(quarterStartDay(quarter + 1) - 1),
      startIndex: next,
    });
  }
  const b = performance.now();
  if (!engineOnly) scores = scorePool(pool, inputs.ruleBook, { rules: scenario.rules });
  const c = performance.now();
  store.add(pool, scores, { prefix: spec.ids.prefix, width: spec.ids.width, startIndex: next });
  const d = performance.now();
  next += arrivals;
  generateMs += b - a;
  scoreMs += c - b;
  addMs += d - c;
  sample();
});
const t2 = performance.now();
const s = summarize(result);
const t3 = performance.now();
sample();
const total = t3 - t0;
console.log(
  JSON.stringify({
    workload: engineOnly ? "w2-engine-only" : "w2",
    arrivals_per_quarter: arrivals,
    quarters,
    applications: s.applications,
    allotted: s.allotted,
    load_ms: Math.round(t1 - t0),
    generate_ms: Math.round(generateMs),
    score_ms: Math.round(scoreMs),
    engine_ms: Math.round(t2 - t1 - generateMs - scoreMs),
    engine_store_ms: Math.round(addMs),
    summary_ms: Math.round(t3 - t2),
    total_ms: Math.round(total),
    ns_per_application: Math.round((total * 1e6) / s.applications),
    peak_rss_mb: Math.round(peakRss / 1e6),
  }),
);
