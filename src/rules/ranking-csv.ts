import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { tempPathFor } from "../atomic.js";
import { type ApplicantPool, idOf } from "../applicants/pool.js";
import { formatIsoDay } from "../dates.js";
import { csvCell } from "../report/csv.js";
import { type PoolScores, ROUTES } from "./types.js";

/**
 * The ranking CSV of `qmas-sim score`: rank,id,applied_on,rule_set,route,eligible,total,passed, then
 * one column per factor or criterion id (empty where the applicant's rule set has none, or on the
 * APT route). Rows are formatted by hand in 64 KB chunks: a million rows take about a second, where a
 * general CSV library spends several.
 */
export const RANKING_COLUMNS = ["rank", "id", "applied_on", "rule_set", "route", "eligible", "total", "passed"] as const;

export function rankingHeader(scores: PoolScores): string[] {
  return [...RANKING_COLUMNS, ...scores.factorIds];
}

function quote(text: string): string {
  const safe = csvCell(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The ranking as CSV text chunks (header first). */
export function* rankingCsvChunks(pool: ApplicantPool, scores: PoolScores, order: Int32Array): Generator<string> {
  const dayText = new Map<number, string>();
  const ruleSetText = scores.ruleSetIds.map(quote);
  const factorCount = scores.factorIds.length;
  let chunk = `${rankingHeader(scores).map(quote).join(",")}\n`;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const day = pool.columns.applied_on[i]!;
    let date = dayText.get(day);
    if (date === undefined) {
      date = formatIsoDay(day);
      dayText.set(day, date);
    }
    let line = `${k + 1},${quote(idOf(pool, i))},${date},${ruleSetText[scores.ruleSet[i]!]},${ROUTES[scores.route[i]!]},${
      scores.eligible[i] === 1 ? "true" : "false"
    },${scores.total[i]},${scores.passed[i] === 1 ? "true" : "false"}`;
    for (let f = 0; f < factorCount; f++) {
      const v = scores.factorPoints[f]![i]!;
      line += v < 0 ? "," : `,${v}`;
    }
    chunk += `${line}\n`;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function pump(chunks: Iterable<string>, out: NodeJS.WritableStream): Promise<void> {
  for (const c of chunks) {
    if (!out.write(c)) await once(out, "drain");
  }
}

/** Write the ranking to a stream (e.g. stdout), or atomically to a file path. */
export async function writeRankingCsv(pool: ApplicantPool, scores: PoolScores, order: Int32Array, target: string | NodeJS.WritableStream): Promise<void> {
  const chunks = rankingCsvChunks(pool, scores, order);
  if (typeof target !== "string") {
    await pump(chunks, target);
    return;
  }
  const tmp = tempPathFor(target);
  const out = createWriteStream(tmp);
  try {
    await pump(chunks, out);
    out.end();
    await finished(out);
    await rename(tmp, target);
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}
