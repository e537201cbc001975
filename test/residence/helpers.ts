import { parseIsoDay } from "../../src/dates.js";
import { compilePlan, type Principals, type ResidenceData } from "../../src/residence/index.js";
import { parseResidenceData } from "../../src/residence/load.js";
import { residenceConfigSchema } from "../../src/scenario/schema.js";

/** A rate with the evidence the schema asks for. */
export const rate = (value: number) => ({ value, confidence: "assumption" });

/** A residence data file with one era and one pattern, every rate given. */
export function dataWith(opts: {
  takeUp?: number;
  apply?: number;
  approve?: number;
  permanent?: number;
  stays?: number[];
  lag?: { within: number; share: number }[];
}): ResidenceData {
  return parseResidenceData(
    {
      id: "test",
      title: "test",
      permanent_residence_years: 7,
      permanent_residence_source: "https://example.org/pr",
      stay_patterns: [
        { from: "2006-06-28", stays_years: opts.stays ?? [1, 2, 2, 3], confidence: "assumption" },
      ],
      rates: [
        {
          from: "2006-06-28",
          arrival: {
            take_up: rate(opts.takeUp ?? 1),
            lag_months: { points: opts.lag ?? [{ within: 12, share: 1 }], confidence: "assumption" },
            give_up_months: 24,
          },
          extensions: [{ apply: rate(opts.apply ?? 1), approve: rate(opts.approve ?? 1) }],
          permanent_residence: rate(opts.permanent ?? 1),
        },
      ],
    },
    "test.yaml",
  );
}

export const defaultConfig = () => residenceConfigSchema.parse({});

export function planOf(data: ResidenceData, config: unknown = {}) {
  return compilePlan(data, residenceConfigSchema.parse(config));
}

/** Principals approved on the given dates (keys 0, 1, …), one person each unless given. */
export function principals(dates: string[], persons?: number[]): Principals {
  const n = dates.length;
  return {
    count: n,
    key: Int32Array.from({ length: n }, (_, i) => i),
    approvedOn: Int32Array.from(dates, parseIsoDay),
    route: new Uint8Array(n),
    age: new Uint8Array(n).fill(30),
    income: new Float64Array(n),
    persons: Uint8Array.from({ length: n }, (_, i) => persons?.[i] ?? 1),
  };
}
