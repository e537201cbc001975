import type {
  CompareReportModel,
  HistogramBin,
  QuarterRow,
  RunReportModel,
  SweepReportModel,
} from "../../src/report/html/models.js";

/**
 * Hand-made but realistic report models: a QMAS year (2019, rule set qmas-gpt-2018, quota 1,000 split
 * over four quarterly exercises, pass mark 80). Counts follow a smooth score curve so the sums are
 * exact and tests can check them.
 */

function ruleSet() {
  return {
    id: "qmas-gpt-2018",
    title: "General Points Test (2018 revision)",
    effectiveFrom: "2018-08-28",
    effectiveTo: "2023-01-01",
    sources: [
      {
        about: "points tables",
        url: "https://www.immd.gov.hk/eng/services/visas/quality_migrant_admission_scheme.html",
        confidence: "C2",
      },
      { about: "Talent List 2018", url: "https://www.talentlist.gov.hk/en/", confidence: "S1" },
    ],
  };
}

export const CUTOFFS = [125, 120, 130, 125];
const PASS_MARK = 80;

/** Applications per 5-point score bin from 0 to 225: a bell around 95 points. */
export function scoreBins(): HistogramBin[] {
  const bins: HistogramBin[] = [];
  for (let start = 0; start < 225; start += 5) {
    const mid = start + 2.5;
    const total = Math.round(420 * Math.exp(-((mid - 95) ** 2) / (2 * 32 ** 2)));
    if (total === 0) continue;
    if (start + 5 <= PASS_MARK) {
      bins.push({ start, count: total, group: "below pass mark" });
    } else if (start >= 130) {
      bins.push({ start, count: Math.round(total * 0.92), group: "allotted" });
      bins.push({ start, count: total - Math.round(total * 0.92), group: "passed, not allotted" });
    } else if (start >= 120) {
      bins.push({ start, count: Math.round(total * 0.55), group: "allotted" });
      bins.push({ start, count: total - Math.round(total * 0.55), group: "passed, not allotted" });
    } else {
      bins.push({ start, count: total, group: "passed, not allotted" });
    }
  }
  return bins;
}

export const QUARTERS: QuarterRow[] = [
  {
    quarter: "2019Q1",
    arrivals: 1210,
    assessed: 1150,
    passed: 730,
    backlog: 60,
    quota: 250,
    allotted: 250,
    cutoff: 125,
    personsAdmitted: 601,
    medianWaitDays: 74,
  },
  {
    quarter: "2019Q2",
    arrivals: 1175,
    assessed: 1190,
    passed: 752,
    backlog: 45,
    quota: 250,
    allotted: 250,
    cutoff: 120,
    personsAdmitted: 588,
    medianWaitDays: 69,
  },
  {
    quarter: "2019Q3",
    arrivals: 1320,
    assessed: 1240,
    passed: 801,
    backlog: 125,
    quota: 250,
    allotted: 250,
    cutoff: 130,
    personsAdmitted: 617,
    medianWaitDays: 81,
  },
  {
    quarter: "2019Q4",
    arrivals: 1095,
    assessed: 1160,
    passed: 744,
    backlog: 60,
    quota: 250,
    allotted: 249,
    cutoff: 125,
    personsAdmitted: 590,
    medianWaitDays: 77,
  },
];

export function runModel(): RunReportModel {
  return {
    kind: "run",
    scenario: {
      name: "baseline",
      description:
        "A documented QMAS year: 2019 under the 2018 General Points Test, a quota of 1,000 split over four quarterly exercises, and a pool shaped like the 2021 applicants.",
      extends: null,
      changes: [],
    },
    provenance: {
      seed: 20190101,
      packageVersion: "0.1.0",
      ruleSets: [ruleSet()],
      replications: 1,
      period: "2019Q1–2019Q4",
      scenarioHash: "sha256:3f9a0c",
    },
    headline: {
      applications: 4800,
      assessed: 4740,
      passed: 3027,
      allotted: 999,
      personsAdmitted: 2396,
      medianCutoff: 125,
      medianWaitDays: 75,
    },
    scores: {
      unit: "points",
      binWidth: 5,
      bins: scoreBins(),
      groups: ["allotted", "passed, not allotted", "below pass mark"],
      passMark: PASS_MARK,
      cutoffs: QUARTERS.map((q) => ({ exercise: q.quarter, score: q.cutoff })),
    },
    waits: {
      binWidth: 15,
      groups: ["allotted", "passed, not allotted", "below pass mark"],
      bins: [
        { start: 15, count: 110, group: "allotted" },
        { start: 30, count: 160, group: "allotted" },
        { start: 45, count: 190, group: "allotted" },
        { start: 60, count: 180, group: "allotted" },
        { start: 75, count: 150, group: "allotted" },
        { start: 90, count: 120, group: "allotted" },
        { start: 105, count: 89, group: "allotted" },
        { start: 30, count: 700, group: "passed, not allotted" },
        { start: 60, count: 900, group: "passed, not allotted" },
        { start: 90, count: 428, group: "passed, not allotted" },
        { start: 15, count: 800, group: "below pass mark" },
        { start: 45, count: 913, group: "below pass mark" },
      ],
    },
    quarters: QUARTERS,
    cohorts: [
      {
        dimension: "age band",
        rows: [
          { category: "18–24", applicants: 310, allotted: 21 },
          { category: "25–29", applicants: 1150, allotted: 240 },
          { category: "30–34", applicants: 1420, allotted: 371 },
          { category: "35–39", applicants: 1010, allotted: 252 },
          { category: "40–44", applicants: 560, allotted: 90 },
          { category: "45–50", applicants: 250, allotted: 22 },
          { category: "51+", applicants: 100, allotted: 3 },
        ],
      },
      {
        dimension: "sector",
        rows: [
          { category: "financial and accounting services", applicants: 1290, allotted: 310 },
          { category: "information technology and telecommunications", applicants: 1050, allotted: 260 },
          { category: "academic research and education", applicants: 610, allotted: 150 },
          { category: "commerce and trade", applicants: 640, allotted: 95 },
          { category: "health care", applicants: 260, allotted: 52 },
          {
            category: "architecture, surveying, engineering and construction",
            applicants: 330,
            allotted: 60,
          },
          { category: "other", applicants: 620, allotted: 72 },
        ],
      },
      {
        dimension: "region",
        rows: [
          { category: "Mainland China", applicants: 3980, allotted: 842 },
          { category: "United States", applicants: 150, allotted: 30 },
          { category: "Taiwan", applicants: 120, allotted: 22 },
          { category: "Canada", applicants: 90, allotted: 19 },
          { category: "United Kingdom", applicants: 85, allotted: 20 },
          { category: "other", applicants: 375, allotted: 66 },
        ],
      },
      {
        dimension: "education",
        rows: [
          { category: "doctorate", applicants: 520, allotted: 230 },
          { category: "master's", applicants: 2350, allotted: 601 },
          { category: "bachelor's", applicants: 1700, allotted: 163 },
          { category: "professional qualification only", applicants: 140, allotted: 4 },
          { category: "none (achievement route)", applicants: 90, allotted: 1 },
        ],
      },
    ],
    files: ["decisions.csv", "rounds.csv", "cohort.csv", "manifest.json", "summary.md"],
  };
}

/** The same run with 200 replications: means with 95 % CIs. */
export function replicatedRunModel(): RunReportModel {
  const base = runModel();
  return {
    ...base,
    provenance: { ...base.provenance, replications: 200 },
    headlineCi: {
      applications: { lo: 4712.4, hi: 4889.6 },
      allotted: { lo: 997.2, hi: 1000 },
      personsAdmitted: { lo: 2341.8, hi: 2450.3 },
      medianCutoff: { lo: 122.5, hi: 127.5 },
      medianWaitDays: { lo: 71, hi: 79 },
    },
    quarters: base.quarters.map((q, i) => ({
      ...q,
      cutoffCi: { lo: (q.cutoff ?? 0) - 3 - i, hi: (q.cutoff ?? 0) + 3 + i },
      backlogCi: { lo: q.backlog * 0.8, hi: q.backlog * 1.2 },
      allottedCi: { lo: q.allotted - 1.5, hi: q.allotted },
    })),
    cohorts: base.cohorts.map((c) => ({
      ...c,
      rows: c.rows.map((r) => {
        const share = r.allotted / c.rows.reduce((s, x) => s + x.allotted, 0);
        return { ...r, allottedShareCi: { lo: Math.max(0, share - 0.012), hi: Math.min(1, share + 0.012) } };
      }),
    })),
  };
}

export function compareModel(): CompareReportModel {
  const base = runModel();
  return {
    kind: "compare",
    baseline: base.scenario,
    reform: {
      name: "quota-2000",
      description: "What if the annual quota had been doubled to 2,000 (as it was on 2020-11-26)?",
      extends: "baseline.yaml",
      changes: [{ path: "selection.quota.per_year", before: "1000", after: "2000" }],
    },
    provenance: { ...base.provenance, replications: 100 },
    changedParameters: [{ path: "selection.quota.per_year", before: "1000", after: "2000" }],
    metrics: [
      {
        name: "allotted",
        label: "Allotted",
        baseline: 999.4,
        reform: 1996.1,
        difference: 996.7,
        ci: { lo: 990.2, hi: 1003.2 },
      },
      {
        name: "persons_admitted",
        label: "Persons admitted",
        baseline: 2396.2,
        reform: 4720.8,
        difference: 2324.6,
        ci: { lo: 2290.1, hi: 2359.1 },
      },
      {
        name: "median_cutoff",
        label: "Median cutoff (points)",
        baseline: 125,
        reform: 105,
        difference: -20,
        ci: { lo: -22.5, hi: -17.5 },
      },
      {
        name: "median_wait_days",
        label: "Median wait (days)",
        baseline: 75,
        reform: 74,
        difference: -1,
        ci: { lo: -3.1, hi: 1.1 },
      },
      {
        name: "backlog_end",
        label: "Backlog at the end",
        baseline: 60,
        reform: 60,
        difference: 0,
        ci: { lo: 0, hi: 0 },
      },
      {
        name: "unused_quota",
        label: "Unused quota",
        baseline: 0.6,
        reform: 3.9,
        difference: 3.3,
        ci: { lo: 2.1, hi: 4.5 },
      },
    ],
    series: [
      {
        metric: "cutoff",
        label: "Cutoff score",
        points: QUARTERS.flatMap((q, i) => [
          {
            quarter: q.quarter,
            side: "baseline" as const,
            value: q.cutoff,
            ci: { lo: (q.cutoff ?? 0) - 3, hi: (q.cutoff ?? 0) + 3 },
          },
          {
            quarter: q.quarter,
            side: "reform" as const,
            value: (q.cutoff ?? 0) - 20 + (i % 2) * 5,
            ci: { lo: (q.cutoff ?? 0) - 24, hi: (q.cutoff ?? 0) - 15 },
          },
        ]),
      },
    ],
    files: ["comparison.csv", "manifest.json", "summary.md"],
  };
}

export function sweepModel(): SweepReportModel {
  const base = runModel();
  const quotas = [500, 1000, 2000, 4000];
  const passMarks = [70, 80, 90, 100];
  const cells = quotas.flatMap((quota) =>
    passMarks.map((passMark) => {
      const allotted = Math.min(quota, Math.round(3400 - 30 * (passMark - 70)));
      const cutoff = Math.max(passMark, Math.round(160 - quota / 40));
      return {
        coordinates: { "selection.quota.per_year": quota, "rules.pass_mark": passMark },
        metrics: {
          allotted: { mean: allotted, ci: { lo: allotted - 4, hi: allotted + 2 } },
          median_cutoff: { mean: cutoff, ci: { lo: cutoff - 2.5, hi: cutoff + 2.5 } },
        },
      };
    }),
  );
  return {
    kind: "sweep",
    scenario: base.scenario,
    provenance: { ...base.provenance, replications: 20 },
    axes: [
      { path: "selection.quota.per_year", values: quotas },
      { path: "rules.pass_mark", values: passMarks },
    ],
    metrics: [
      { name: "allotted", label: "Allotted" },
      { name: "median_cutoff", label: "Median cutoff (points)" },
    ],
    chosenMetric: "median_cutoff",
    cells,
    files: ["sweep.csv", "manifest.json", "summary.md"],
  };
}
