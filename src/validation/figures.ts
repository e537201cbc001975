import { parseIsoDay, quarterStartDay } from "../dates.js";
import { ALLOTTED, PENDING, type RunResult, WITHDRAWN } from "../simulation/timeline.js";
import type { PublishedFigure } from "./published.js";

/**
 * The simulated value of a published figure, from one run: flows (applications, allotments…) summed
 * over the quarters the figure's period covers, a quarter covered in part counting in proportion to its
 * days; a stock (backlog) read at the period's last day, between the ends of the quarters around it;
 * shares and waits over the decisions of the covered quarters, weighted the same way. Undefined when the
 * run does not cover the whole period or the metric is not one of these.
 */
export function figureValue(fig: PublishedFigure, result: RunResult): number | undefined {
  const weights = quarterWeights(fig, result);
  if (!weights) return undefined;
  const rounds = result.rounds;
  const flow = (pick: (k: number) => number) => {
    let sum = 0;
    for (let k = 0; k < rounds.length; k++) if (weights[k]! > 0) sum += weights[k]! * pick(k);
    return sum;
  };
  switch (fig.metric) {
    case "applications":
      return flow((k) => rounds[k]!.arrivals);
    case "assessed":
      return flow((k) => rounds[k]!.assessed);
    case "candidates":
      return flow((k) => (rounds[k]!.exercise ? rounds[k]!.candidates : 0));
    case "allotted":
      return flow((k) => rounds[k]!.allotted);
    case "allotted_apt":
      return flow((k) => rounds[k]!.allotted_apt);
    case "allotted_gpt":
      return flow((k) => rounds[k]!.allotted - rounds[k]!.allotted_apt);
    case "backlog":
      return backlogOn(parseIsoDay(fig.period.to), result);
    case "allotted_share":
      return allottedShare(fig, result, weights);
    case "wait_months":
      return meanWaitMonths(result, weights);
    default:
      return undefined;
  }
}

/** Per quarter of the run, the share of its days inside the figure's period; null if the run does not cover it. */
export function quarterWeights(
  period: { period: { from: string; to: string } },
  result: RunResult,
): Float64Array | null {
  const { firstQuarter, quarters } = result.policy;
  const from = parseIsoDay(period.period.from);
  const to = parseIsoDay(period.period.to);
  if (from < quarterStartDay(firstQuarter) || to >= quarterStartDay(firstQuarter + quarters)) return null;
  const w = new Float64Array(quarters);
  for (let k = 0; k < quarters; k++) {
    const start = quarterStartDay(firstQuarter + k);
    const end = quarterStartDay(firstQuarter + k + 1); // exclusive
    const overlap = Math.min(end, to + 1) - Math.max(start, from);
    if (overlap > 0) w[k] = overlap / (end - start);
  }
  return w;
}

/** Applications waiting for assessment on a day, between the backlogs at the ends of its quarter and the one before. */
function backlogOn(day: number, result: RunResult): number {
  const k = Math.floor(quarterIndexOf(day, result));
  const start = quarterStartDay(result.policy.firstQuarter + k);
  const end = quarterStartDay(result.policy.firstQuarter + k + 1);
  const before = k > 0 ? result.rounds[k - 1]!.backlog : 0;
  const after = result.rounds[k]!.backlog;
  return before + ((after - before) * (day + 1 - start)) / (end - start);
}

function quarterIndexOf(day: number, result: RunResult): number {
  const q0 = result.policy.firstQuarter;
  let k = 0;
  while (k + 1 < result.policy.quarters && quarterStartDay(q0 + k + 1) <= day) k++;
  return k;
}

function allottedShare(fig: PublishedFigure, result: RunResult, weights: Float64Array): number | undefined {
  const [dimension, group] = Object.entries(fig.where ?? {})[0] ?? [];
  if (dimension === undefined || group === undefined) return undefined;
  const apps = result.apps;
  const dictionary = dimension === "region" ? apps.regions : apps.sectors;
  const codes = dimension === "region" ? apps.region : apps.sector;
  const code = dictionary.lookup(group);
  const { decision, decisionQuarter } = result;
  let all = 0;
  let inGroup = 0;
  for (let g = 0; g < apps.size; g++) {
    if (decision[g] !== ALLOTTED) continue;
    const w = weights[decisionQuarter[g]!]!;
    if (w === 0) continue;
    all += w;
    if (codes[g] === code) inGroup += w;
  }
  return all > 0 ? inGroup / all : undefined;
}

const DAYS_PER_MONTH = 365.25 / 12;

function meanWaitMonths(result: RunResult, weights: Float64Array): number | undefined {
  const { decision, decisionQuarter, waitDays } = result;
  let sum = 0;
  let n = 0;
  for (let g = 0; g < result.apps.size; g++) {
    const d = decision[g];
    if (d === PENDING || d === WITHDRAWN) continue;
    const w = weights[decisionQuarter[g]!]!;
    if (w === 0) continue;
    sum += w * waitDays[g]!;
    n += w;
  }
  return n > 0 ? sum / n / DAYS_PER_MONTH : undefined;
}
