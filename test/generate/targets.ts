import type { Calibration } from "../../src/applicants/generate/index.js";
import { type ApplicantPool, applicantAt } from "../../src/applicants/pool.js";

export type Target = Calibration["targets"][number];

/** Share of `indices` (default: the whole pool) meeting a calibration target. */
export function shareMeeting(pool: ApplicantPool, target: Target, indices?: readonly number[]): number {
  const list = indices ?? Array.from({ length: pool.size }, (_, i) => i);
  let hits = 0;
  for (const i of list) {
    const value = applicantAt(pool, i)[target.column as keyof ReturnType<typeof applicantAt>];
    const hit =
      target.value !== undefined
        ? String(value) === target.value
        : typeof value === "number" &&
          value >= (target.from ?? Number.NEGATIVE_INFINITY) &&
          value <= (target.to ?? Number.POSITIVE_INFINITY);
    if (hit) hits++;
  }
  return list.length === 0 ? 0 : hits / list.length;
}

export function describeTarget(t: Target): string {
  return t.value !== undefined ? `${t.column}=${t.value}` : `${t.column} ${t.from ?? ""}..${t.to ?? ""}`;
}
