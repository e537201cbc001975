// Cross-check with the pandas peer, an independent script kept outside this repository (used when
// present): generate an applicant CSV, run the peer and `qmas-sim run` on it with the same policy (one exercise
// per calendar quarter of applied_on, 250 places each, unused places lapse, ties by applied_on then id,
// refused when not allotted, qmas-gpt-2018 forced on everyone), and compare the allotted id sets.
// Prints one JSON line; exits 1 when the sets differ, 3 when python3 with pandas is missing.
// usage: node bench/peer-crosscheck.mjs [rows=20000] [workDir]   (after `npm run build`)
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeApplicantCsv } from "../dist/applicants/csv/index.js";
import { generatePool, loadDistributionSpec } from "../dist/applicants/generate/index.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const rows = Number(process.argv[2] ?? 20_000);
const work = process.argv[3] ?? mkdtempSync(join(tmpdir(), "qmas-peer-"));
mkdirSync(work, { recursive: true });
const python = "/usr/bin/python3";
// The peer scripts are kept outside this repository; they are looked for beside the checkout.
const peer = [resolve(repo, "../shared/peers/pandas_peer.py"), "/work/shared/peers/pandas_peer.py"].find(
  (p) => existsSync(p),
);

const hasPandas = existsSync(python) && spawnSync(python, ["-c", "import pandas"]).status === 0;
if (!peer || !hasPandas) {
  console.log(
    JSON.stringify({
      check: "peer-crosscheck",
      skipped: !peer
        ? "the pandas peer script (kept outside this repository) is not present"
        : "python3-pandas is not installed (apt-get install -y python3-pandas)",
    }),
  );
  process.exit(3);
}

// A pool over a whole year (2019: four quarters, qmas-gpt-2018 in force) from the qmas-2021 spec.
const poolCsv = join(work, "pool.csv");
const spec = loadDistributionSpec("qmas-2021", join(repo, "data"));
await writeApplicantCsv(
  generatePool(spec, { count: rows, seed: "peer-crosscheck", from: "2019-01-01", to: "2019-12-31" }),
  poolCsv,
);

const scenarioFile = join(work, "crosscheck.yaml");
writeFileSync(
  scenarioFile,
  [
    "# The pandas peer's fixed policy (see the header of bench/peer-crosscheck.mjs)",
    "name: peer-crosscheck",
    "seed: 1",
    "pool: { csv: pool.csv }",
    "rules: qmas-gpt-2018",
    "quota: { per_year: 1000 }   # 250 per quarterly exercise",
    "exercises_per_year: 4",
    "unused_quota: lapse",
    "tie_break: [applied_on, id]",
    "apt_first: false            # the peer ranks APT passes by their (maximum) score like everyone else",
    "pool_rounds: 1",
    "",
  ].join("\n"),
);

const t0 = performance.now();
execFileSync(
  python,
  [peer, poolCsv, join(work, "peer"), "--rules", "qmas-gpt-2018", "--quota-per-round", "250"],
  { stdio: ["ignore", "ignore", "inherit"] },
);
const t1 = performance.now();
execFileSync(
  process.execPath,
  [join(repo, "dist/cli/main.js"), "run", scenarioFile, "--out", join(work, "sim"), "--quiet"],
  { cwd: repo, stdio: ["ignore", "ignore", "inherit"] },
);
const t2 = performance.now();

/** id → [decision, total] from a decisions.csv (ids and decisions never contain commas here). */
function readDecisions(file) {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const id = header.indexOf("id");
  const decision = header.indexOf("decision");
  const total = header.indexOf("total");
  return new Map(
    lines.slice(1).map((l) => {
      const f = l.split(",");
      return [f[id].replace(/^'/, ""), [f[decision], f[total]]];
    }),
  );
}
const peerDecisions = readDecisions(join(work, "peer", "decisions.csv"));
const simDecisions = readDecisions(join(work, "sim", "decisions.csv"));
const allotted = (m) => new Set([...m].filter(([, v]) => v[0] === "allotted").map(([k]) => k));
const a = allotted(peerDecisions);
const b = allotted(simDecisions);
const onlyPeer = [...a].filter((x) => !b.has(x));
const onlySim = [...b].filter((x) => !a.has(x));
let scoreMismatches = 0;
for (const [k, [, t]] of peerDecisions) {
  const s = simDecisions.get(k);
  if (s && s[1] !== "" && Number(s[1]) !== Number(t)) scoreMismatches++;
}
const equal = onlyPeer.length === 0 && onlySim.length === 0 && peerDecisions.size === simDecisions.size;
console.log(
  JSON.stringify({
    check: "peer-crosscheck",
    rows,
    work,
    peer_allotted: a.size,
    sim_allotted: b.size,
    equal,
    only_peer: onlyPeer.slice(0, 5),
    only_sim: onlySim.slice(0, 5),
    score_mismatches: scoreMismatches,
    peer_ms: Math.round(t1 - t0),
    sim_ms: Math.round(t2 - t1),
  }),
);
process.exit(equal ? 0 : 1);
