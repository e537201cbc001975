import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { writeApplicantCsv } from "../../src/applicants/csv/index.js";
import { generatePool, loadDistributionSpec } from "../../src/applicants/generate/index.js";
import { validateScenario } from "../../src/scenario/validate.js";
import { loadScenarioInputs, runScenario } from "../../src/simulation/run.js";
import { ALLOTTED } from "../../src/simulation/timeline.js";

// The pandas peer is an independent script kept outside this repository on purpose; the test runs when
// it is present beside the checkout, and is skipped otherwise.
const PEER = [resolve("../shared/peers/pandas_peer.py"), "/work/shared/peers/pandas_peer.py"].find((p) =>
  existsSync(p),
);
const PYTHON = "/usr/bin/python3";
const hasPandas = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import pandas"]).status === 0;
const skipReason = !PEER
  ? "the pandas peer script (kept outside this repository) is not present"
  : !hasPandas
    ? "/usr/bin/python3 has no pandas (apt-get install -y python3-pandas)"
    : "";

describe(`cross-check with the pandas peer${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  test.skipIf(skipReason !== "")("same CSV and policy: the same applicants are allotted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmas-peer-test-"));
    const csv = join(dir, "pool.csv");
    // Four days across a quarter boundary: two exercises, and many applications with the same score on
    // the same day at each cut, so the id tie-break decides who gets the last places.
    const pool = generatePool(loadDistributionSpec("qmas-2021"), {
      count: 4000,
      seed: "peer-test",
      from: "2019-03-30",
      to: "2019-04-02",
    });
    await writeApplicantCsv(pool, csv);
    execFileSync(
      PYTHON,
      [PEER!, csv, join(dir, "peer"), "--rules", "qmas-gpt-2018", "--quota-per-round", "60"],
      { stdio: "ignore" },
    );
    const peerLines = readFileSync(join(dir, "peer", "decisions.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1);
    const peerAllotted = peerLines
      .filter((l) => l.endsWith(",allotted"))
      .map((l) => l.split(",")[0])
      .sort();

    const scenario = validateScenario(
      {
        name: "peer",
        pool: { csv },
        rules: "qmas-gpt-2018",
        quota: { per_year: 240 },
        tie_break: ["applied_on", "id"],
        apt_first: false,
      },
      join(dir, "peer.yaml"),
    );
    const run = runScenario(scenario, await loadScenarioInputs(scenario));
    const r = run.result;
    const simAllotted: string[] = [];
    for (let g = 0; g < r.apps.size; g++) if (r.decision[g] === ALLOTTED) simAllotted.push(r.apps.idOf(g));
    expect(peerAllotted.length).toBe(120);
    expect(simAllotted.sort()).toEqual(peerAllotted);
  });
});
