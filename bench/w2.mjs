// Workload W2 (issue 7): 40 quarters × 250,000 arrivals (10,000,000 applications) generated from the
// qmas-2021 spec, scored with qmas-gpt-2018, assessed and selected in memory, no output files.
// It runs exactly what runScenario does (a quarter's arrivals generated, scored, handed to the engine)
// but times the three stages apart. Prints one JSON line; compare with ../shared/peers/bare_engine.mjs
// (the same work in bare typed-array loops).
// usage: node bench/w2.mjs [arrivalsPerQuarter=250000] [quarters=40]   (after `npm run build`)
import { generatePool } from "../dist/applicants/generate.js";
import { formatIsoDay, quarterStartDay } from "../dist/dates.js";
import { Applications, loadScenarioInputs, policyOf, simulate, summarize, validateScenario } from "../dist/index.js";
import { scorePool } from "../dist/rules/batch.js";
import { runWindow } from "../dist/simulation/run.js";

const arrivals = Number(process.argv[2] ?? 250_000);
const quarters = Number(process.argv[3] ?? 40);
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
const result = simulate(apps, policy, scenario.seed, (quarter, store) => {
  const a = performance.now();
  const pool = generatePool(spec, {
    count: arrivals,
    seed: "w2-pool",
    from: formatIsoDay(quarterStartDay(quarter)),
    to: formatIsoDay(quarterStartDay(quarter + 1) - 1),
    startIndex: next,
  });
  const b = performance.now();
  const scores = scorePool(pool, inputs.ruleBook, { rules: scenario.rules });
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
    workload: "w2",
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
