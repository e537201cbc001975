import type { MetricTable, RunMetrics } from "../experiments/metrics.js";
import { adoptInputs, shareInputs, unitInputs } from "../experiments/model.js";
import type { Model, ModelModule } from "../experiments/workers.js";
import type { ResolvedScenario } from "../scenario/extends.js";
import type { Scenario } from "../scenario/schema.js";
import { runScenario } from "../simulation/run.js";
import { APT_BUCKET, type ExerciseRecord, type ReplicationRecord, replicationRecord } from "./records.js";

/**
 * The model a chances forecast replicates (run by the experiments machinery, on worker threads when
 * the work is large): one run of the scenario with a seed, reduced to the ReplicationRecord of a
 * hypothetical application made on `fromDay`, posted back as plain tables.
 */
export interface ChancesUnit extends ResolvedScenario {
  chances: { fromDay: number; exercises: number };
}

export async function prepareModel(unit: ResolvedScenario, dataDir: string): Promise<Model> {
  const { chances } = unit as ChancesUnit;
  if (!chances) throw new Error("a chances model needs the day and number of exercises of its unit");
  const scenario = unit.scenario as unknown as Scenario;
  const inputs = await unitInputs(unit, dataDir);
  return (seed) =>
    encodeRecord(
      replicationRecord(runScenario(scenario, inputs, { seed }).result, {
        ...chances,
        aptFirst: scenario.apt_first,
      }),
    );
}

const COUNTS = ["allotted_early", "allotted_late", "ranked_early", "ranked_late"] as const;

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function encodeRecord(r: ReplicationRecord): RunMetrics {
  const scores: MetricTable = {
    name: "scores",
    keyColumns: ["j", "key"],
    metricColumns: [...COUNTS],
    rows: [],
  };
  r.exercises.forEach((e, j) => {
    for (let key = 0; key <= APT_BUCKET; key++) {
      const v = [e.allottedEarly[key]!, e.allottedLate[key]!, e.rankedEarly[key]!, e.rankedLate[key]!];
      if (v.some((x) => x > 0)) scores.rows.push([j, key, ...v]);
    }
  });
  return [
    { name: "entry", keyColumns: [], metricColumns: ["assessed_at"], rows: [[r.assessedAt]] },
    {
      name: "exercises",
      keyColumns: ["j"],
      metricColumns: ["k", "places", "allotted"],
      rows: r.exercises.map((e, j) => [j, e.k, finiteOrNull(e.places), e.allotted]),
    },
    scores,
    {
      name: "sectors",
      keyColumns: ["sector"],
      metricColumns: ["n"],
      rows: Object.entries(r.sectors).map(([s, n]) => [s, n]),
    },
    {
      name: "calendar",
      keyColumns: ["j"],
      metricColumns: ["cutoff"],
      rows: r.calendarCutoffs.map((c, j) => [j, finiteOrNull(c)]),
    },
  ];
}

function tableOf(metrics: RunMetrics, name: string): MetricTable {
  const t = metrics.find((x) => x.name === name);
  if (!t) throw new Error(`a chances replication lacks its '${name}' table`);
  return t;
}

export function decodeRecord(metrics: RunMetrics): ReplicationRecord {
  const num = (v: string | number | null | undefined) => (typeof v === "number" ? v : Number.NaN);
  const exercises: ExerciseRecord[] = tableOf(metrics, "exercises").rows.map((row) => ({
    k: num(row[1]),
    places: row[2] === null ? Number.POSITIVE_INFINITY : num(row[2]),
    allotted: num(row[3]),
    allottedEarly: new Int32Array(APT_BUCKET + 1),
    allottedLate: new Int32Array(APT_BUCKET + 1),
    rankedEarly: new Int32Array(APT_BUCKET + 1),
    rankedLate: new Int32Array(APT_BUCKET + 1),
  }));
  for (const row of tableOf(metrics, "scores").rows) {
    const e = exercises[num(row[0])]!;
    const key = num(row[1]);
    e.allottedEarly[key] = num(row[2]);
    e.allottedLate[key] = num(row[3]);
    e.rankedEarly[key] = num(row[4]);
    e.rankedLate[key] = num(row[5]);
  }
  const sectors: Record<string, number> = {};
  for (const row of tableOf(metrics, "sectors").rows) sectors[String(row[0])] = num(row[1]);
  return {
    assessedAt: num(tableOf(metrics, "entry").rows[0]![0]),
    exercises,
    sectors,
    calendarCutoffs: tableOf(metrics, "calendar").rows.map((row) => num(row[1])),
  };
}

// worker threads load this module as their model (see src/experiments/workers.ts)
export { adoptInputs, shareInputs };
({ prepareModel, shareInputs, adoptInputs }) satisfies ModelModule<ReturnType<typeof shareInputs>>;
