import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { type ApplicantPool, idOf } from "../applicants/pool.js";
import { tempPathFor } from "../atomic.js";
import { csvCell } from "../csv-writer.js";
import { formatIsoDay } from "../dates.js";
import { outputError } from "../errors.js";
import { type PoolScores, ROUTES } from "./types.js";

/**
 * The ranking CSV of `qmas-sim score`: rank,id,applied_on,rule_set,route,eligible,total,passed, then
 * one column per factor or criterion id (empty where the applicant's rule set has none, or on the
 * APT route). Rows are formatted by hand into byte buffers: a general CSV library spends several
 * seconds on a million rows.
 */
export const RANKING_COLUMNS = [
  "rank",
  "id",
  "applied_on",
  "rule_set",
  "route",
  "eligible",
  "total",
  "passed",
] as const;

export function rankingHeader(scores: PoolScores): string[] {
  return [...RANKING_COLUMNS, ...scores.factorIds];
}

function quote(text: string): string {
  const safe = csvCell(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CHUNK = 1 << 20;
const COMMA = 44;
const NEWLINE = 10;
const ASCII = (text: string) => Buffer.from(text, "utf8");

/** Write a non-negative integer (or, for v < 0, nothing) as ASCII digits; returns the new position. */
function putInt(buf: Buffer, pos: number, v: number): number {
  if (v < 0) return pos;
  if (v < 10) {
    buf[pos] = 48 + v;
    return pos + 1;
  }
  const digits = v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : String(v).length;
  let x = v;
  for (let k = digits - 1; k >= 0; k--) {
    buf[pos + k] = 48 + (x % 10);
    x = Math.floor(x / 10);
  }
  return pos + digits;
}

// Byte by byte: TypedArray#set and Buffer#write cost more than the copy itself for a few bytes.
function putBytes(buf: Buffer, pos: number, bytes: Uint8Array): number {
  for (let b = 0; b < bytes.length; b++) buf[pos + b] = bytes[b]!;
  return pos + bytes.length;
}

function putText(buf: Buffer, pos: number, text: string): number {
  for (let c = 0; c < text.length; c++) {
    const code = text.charCodeAt(c);
    if (code >= 128) return pos + c + buf.write(text.slice(c), pos + c, "utf8");
    buf[pos + c] = code;
  }
  return pos + text.length;
}

interface RowKeys {
  dayBytes: Map<number, Buffer>;
  ruleSetBytes: Buffer[];
  routeBytes: Buffer[];
  yes: Buffer;
  no: Buffer;
}

function putRow(
  buf: Buffer,
  start: number,
  rank: number,
  id: string,
  i: number,
  pool: ApplicantPool,
  scores: PoolScores,
  keys: RowKeys,
): number {
  let pos = putInt(buf, start, rank);
  buf[pos++] = COMMA;
  pos = putText(buf, pos, id);
  buf[pos++] = COMMA;
  const day = pool.columns.applied_on[i]!;
  let date = keys.dayBytes.get(day);
  if (date === undefined) {
    date = ASCII(formatIsoDay(day));
    keys.dayBytes.set(day, date);
  }
  pos = putBytes(buf, pos, date);
  buf[pos++] = COMMA;
  pos = putBytes(buf, pos, keys.ruleSetBytes[scores.ruleSet[i]!]!);
  buf[pos++] = COMMA;
  pos = putBytes(buf, pos, keys.routeBytes[scores.route[i]!]!);
  buf[pos++] = COMMA;
  pos = putBytes(buf, pos, scores.eligible[i] === 1 ? keys.yes : keys.no);
  buf[pos++] = COMMA;
  pos = putInt(buf, pos, scores.total[i]!);
  buf[pos++] = COMMA;
  pos = putBytes(buf, pos, scores.passed[i] === 1 ? keys.yes : keys.no);
  const columns = scores.factorPoints;
  for (let f = 0; f < columns.length; f++) {
    buf[pos++] = COMMA;
    pos = putInt(buf, pos, columns[f]![i]!);
  }
  buf[pos++] = NEWLINE;
  return pos;
}

/**
 * The ranking as CSV byte chunks (header first). Bytes are written straight into 1 MB buffers: the
 * per-row cost is a few array stores, not string building.
 */
export function* rankingCsvChunks(
  pool: ApplicantPool,
  scores: PoolScores,
  order: Int32Array,
): Generator<Uint8Array> {
  const keys: RowKeys = {
    dayBytes: new Map(),
    ruleSetBytes: scores.ruleSetIds.map((id) => ASCII(quote(id))),
    routeBytes: ROUTES.map((r) => ASCII(r)),
    yes: ASCII("true"),
    no: ASCII("false"),
  };
  const rowRoom = 256 + scores.factorIds.length * 8;
  let buf = Buffer.allocUnsafe(CHUNK);
  let pos = buf.write(`${rankingHeader(scores).map(quote).join(",")}\n`, 0, "utf8");
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const id = quote(idOf(pool, i));
    // a row is at most the id (3 bytes a UTF-16 unit) plus its numbers and keys
    if (pos + id.length * 3 + rowRoom > buf.length) {
      yield buf.subarray(0, pos);
      buf = Buffer.allocUnsafe(Math.max(CHUNK, id.length * 3 + rowRoom));
      pos = 0;
    }
    pos = putRow(buf, pos, k + 1, id, i, pool, scores, keys);
  }
  if (pos > 0) yield buf.subarray(0, pos);
}

async function pump(chunks: Iterable<Uint8Array>, out: NodeJS.WritableStream): Promise<void> {
  for (const c of chunks) {
    if (!out.write(c)) await once(out, "drain");
  }
}

/** Write the ranking to a stream (e.g. stdout), or atomically to a file path. */
export async function writeRankingCsv(
  pool: ApplicantPool,
  scores: PoolScores,
  order: Int32Array,
  target: string | NodeJS.WritableStream,
): Promise<void> {
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
    throw outputError(target, err);
  }
}
