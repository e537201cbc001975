import { parseIsoDay } from "../dates.js";
import type { ResidenceResult } from "./result.js";
import { addMonths, IN_HK, PERMANENT, stateAt } from "./simulate.js";

/**
 * The residence metrics a published figure can name (data/published/*.yaml), each over a period of
 * inclusive dates:
 *   approved                 principals allotted within the period
 *   arrived                  principals who arrived within the period (whenever approved)
 *   arrived_share            of those approved within the period, the share arrived by its end
 *   first_extension_not_sought  arrivals whose first stay expired within the period and who did not apply
 *   extension_applied_share  of those approved within the period whose first stay (counted from the
 *                            approval) ended by its end, the share who applied for an extension by then
 *   left_hk                  principals who left within the period
 *   permanent_residents      principals who became permanent residents within the period
 *   in_hk                    principals in Hong Kong at the end of the period
 */
export const RESIDENCE_FIGURE_METRICS = [
  "approved",
  "arrived",
  "arrived_share",
  "first_extension_not_sought",
  "extension_applied_share",
  "left_hk",
  "permanent_residents",
  "in_hk",
] as const;

const inside = (day: number, from: number, to: number) => day >= 0 && day >= from && day <= to;

/**
 * The simulated value of `metric` over `period` (inclusive ISO dates); undefined when the metric is
 * not a residence metric. A share with nobody to share among is NaN.
 */
export function figureValue(
  metric: string,
  period: { from: string; to: string },
  result: ResidenceResult,
): number | undefined {
  if (!(RESIDENCE_FIGURE_METRICS as readonly string[]).includes(metric)) return undefined;
  const from = parseIsoDay(period.from);
  const to = parseIsoDay(period.to);
  if (Number.isNaN(from) || Number.isNaN(to))
    throw new Error(`residenceFigure: bad period ${period.from}…${period.to}`);
  const p = result.paths;
  const { approvedOn } = p.principals;
  const n = p.principals.count;
  let count = 0;
  let among = 0;
  for (let i = 0; i < n; i++) {
    const approved = approvedOn[i]!;
    const arrival = p.arrivalDay[i]!;
    switch (metric) {
      case "approved":
        if (inside(approved, from, to)) count++;
        break;
      case "arrived":
        if (inside(arrival, from, to)) count++;
        break;
      case "arrived_share":
        if (inside(approved, from, to)) {
          among++;
          if (arrival >= 0 && arrival <= to) count++;
        }
        break;
      case "first_extension_not_sought": {
        if (arrival < 0) break;
        const firstExpiry = addMonths(arrival, p.plan.patterns[p.pattern[i]!]!.staysMonths[0]!);
        if (inside(firstExpiry, from, to) && p.applied[i] === 0 && p.exitDay[i] === firstExpiry) count++;
        break;
      }
      case "extension_applied_share": {
        if (!inside(approved, from, to)) break;
        const initial = p.plan.patterns[p.pattern[i]!]!.staysMonths[0]!;
        if (addMonths(approved, initial) > to) break;
        among++;
        if (arrival >= 0 && p.applied[i]! > 0 && addMonths(arrival, initial) <= to) count++;
        break;
      }
      case "left_hk":
        if (inside(p.exitDay[i]!, from, to)) count++;
        break;
      case "permanent_residents":
        if (inside(p.permanentDay[i]!, from, to)) count++;
        break;
      case "in_hk": {
        const s = stateAt(p, i, to);
        if (s === IN_HK || s === PERMANENT) count++;
        break;
      }
    }
  }
  if (metric === "arrived_share" || metric === "extension_applied_share")
    return among > 0 ? count / among : Number.NaN;
  return count;
}
