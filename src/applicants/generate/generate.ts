import { formatIsoDay, parseIsoDay } from "../../dates.js";
import { InputError } from "../../errors.js";
import { BULK_RNG_ALGORITHM, deriveSeed, UniformStream } from "../../random.js";
import {
  type ApplicantPool,
  allocateColumns,
  type IdSource,
  POOL_COLUMN_NAMES,
  type PoolColumns,
} from "../pool.js";
import { type CompiledSpec, compileSpec, dayProfile } from "./compile.js";
import { ApplicantDrawer, type ColumnNeeds, OPTIONAL_COLUMNS } from "./draw.js";
import type { DistributionSpec } from "./spec.js";
import { SLOTS_PER_APPLICANT } from "./variables.js";

/**
 * Synthetic applicants, keyed by (seed, applicant index) rather than by call order:
 *
 * - indices are grouped in blocks of BLOCK_SIZE; block b has its own uniform stream seeded with
 *   deriveSeed(seed, GENERATOR_STREAM, b) (one sha256 per 4,096 applicants, not per applicant);
 * - every applicant consumes exactly SLOTS_PER_APPLICANT (40) uniforms of its block's stream, and each
 *   variable reads its own fixed slot, so applicant i's draws are the stream's values
 *   (i mod BLOCK_SIZE) × 40 … + 39. Applicant i is therefore the same whatever the count or start
 *   index, and a spec override that changes one variable leaves every other variable's draws untouched.
 *
 * Stream qmas-gen/2 (was /1: seedrandom alea through a closure per draw) fills each block's 163,840
 * uniforms with sfc32 in one tight loop (random.ts fillUniforms): alea cost ~0.55 s per million
 * applicants, sfc32 well under 0.1 s. Same seed → same bytes still; the values differ from /1.
 */
export const BLOCK_SIZE = 4096;
export const GENERATOR_STREAM = "qmas-gen/2";
export const GENERATOR_ALGORITHM = `${GENERATOR_STREAM}: ${BULK_RNG_ALGORITHM}, one stream per block of ${BLOCK_SIZE} applicants (seed = sha256(seed, block)), ${SLOTS_PER_APPLICANT} uniforms per applicant, one fixed slot per variable, inverse-CDF sampling`;

export interface GenerateOptions {
  count: number;
  seed: string | number;
  /** first application date (ISO); default: the spec's period.from */
  from?: string;
  /** last application date (ISO, inclusive); default: the spec's period.to */
  to?: string;
  /** global index of the first applicant (id = prefix + (index + 1)); default 0 */
  startIndex?: number;
  /**
   * The columns that must be filled (default: all). Columns of OPTIONAL_COLUMNS not listed stay 0;
   * every other value is the same as in a full pool (each variable has its own uniform).
   */
  only?: ReadonlySet<string>;
  /**
   * Columns to draw into instead of new ones (each exactly `count` long; the caller vouches that the
   * columns it did not ask for in `only` are zero). For a caller that drops the pool after use.
   */
  into?: PoolColumns;
  /** called every BLOCK_SIZE applicants with the number generated so far */
  onProgress?: (done: number) => void;
}

function checkOptions(
  spec: DistributionSpec,
  opts: GenerateOptions,
): { from: number; to: number; start: number } {
  if (!Number.isSafeInteger(opts.count) || opts.count < 0)
    throw new InputError(`must be a whole number ≥ 0 (got ${opts.count})`, "count");
  const start = opts.startIndex ?? 0;
  if (!Number.isSafeInteger(start) || start < 0)
    throw new InputError(`must be a whole number ≥ 0 (got ${start})`, "startIndex");
  const fromText = opts.from ?? spec.period.from;
  const toText = opts.to ?? spec.period.to;
  const from = parseIsoDay(fromText);
  const to = parseIsoDay(toText);
  if (Number.isNaN(from)) throw new InputError(`is not a date YYYY-MM-DD: ${fromText}`, "from");
  if (Number.isNaN(to)) throw new InputError(`is not a date YYYY-MM-DD: ${toText}`, "to");
  if (from > to) throw new InputError(`${fromText} is after the end date ${toText}`, "from");
  return { from, to, start };
}

/**
 * The uniform buffer of the last call, with the stream whose first `drawn` values it holds: the 1.3 MB
 * buffer is not allocated and zeroed again, and a run's next quarter, which starts where the last one
 * stopped in the same block, draws only the rest of the block (a small replication drew 2.5 times the
 * uniforms it used before). Taken while a call runs, so a nested call never shares it.
 */
let spare: { u: Float64Array; stream: UniformStream | null } | null = null;

function takeSpare(length: number): { u: Float64Array; stream: UniformStream | null } {
  const held = spare;
  spare = null;
  if (held && held.u.length >= length) return held;
  return { u: new Float64Array(Math.max(length, BLOCK_SIZE * SLOTS_PER_APPLICANT)), stream: null };
}

/** A spec's samplers, compiled once per spec object (specs are not changed once parsed). */
const compiledSpecs = new WeakMap<DistributionSpec, CompiledSpec>();
function compiledSpecOf(spec: DistributionSpec): CompiledSpec {
  let compiled = compiledSpecs.get(spec);
  if (!compiled) {
    compiled = compileSpec(spec);
    compiledSpecs.set(spec, compiled);
  }
  return compiled;
}

/** Generate `count` applicants (indices startIndex … startIndex + count − 1) as a columnar pool. */
export function generatePool(spec: DistributionSpec, opts: GenerateOptions): ApplicantPool {
  const { from, to, start } = checkOptions(spec, opts);
  const n = opts.count;
  const compiled = compiledSpecOf(spec);
  const columns = opts.into ?? allocateColumns(n);
  if (opts.into && POOL_COLUMN_NAMES.some((name) => columns[name].length !== n))
    throw new Error(`generatePool: columns given must hold exactly ${n} rows`);
  const cats = compiled.categories;

  // profession "none" is the empty profession, code 0 of the pool dictionary
  const professionDict = [""];
  const professionCode = new Uint16Array(cats.profession!.length);
  cats.profession!.forEach((p, i) => {
    if (p === "none") professionCode[i] = 0;
    else {
      professionCode[i] = professionDict.length;
      professionDict.push(p);
    }
  });
  const profile = spec.applied_on ? dayProfile(from, to, spec.applied_on.monthly) : undefined;
  const only = opts.only;
  const need = only
    ? (Object.fromEntries(OPTIONAL_COLUMNS.map((c) => [c, only.has(c)])) as Record<
        keyof ColumnNeeds,
        boolean
      >)
    : undefined;
  const rows = Math.min(BLOCK_SIZE, n + (start % BLOCK_SIZE));
  const drawer = new ApplicantDrawer(
    rows,
    spec,
    compiled,
    columns,
    professionCode,
    { from, to, profile },
    need,
  );

  // whole blocks of uniforms are drawn at once (a few hundred µs each), then the block's applicants
  const held = takeSpare(rows * SLOTS_PER_APPLICANT);
  const u = held.u;
  let stream = held.stream;
  drawer.u = u;
  for (let k = 0; k < n; ) {
    const g = start + k;
    const block = Math.floor(g / BLOCK_SIZE);
    const j0 = g % BLOCK_SIZE;
    const j1 = Math.min(BLOCK_SIZE, j0 + (n - k));
    const seedHex = deriveSeed(opts.seed, GENERATOR_STREAM, block);
    // u may already hold this block's first values (the previous call stopped inside it): draw the rest
    if (!stream || stream.seedHex !== seedHex) stream = new UniformStream(seedHex);
    stream.fill(u, stream.drawn, j1 * SLOTS_PER_APPLICANT);
    drawer.drawRange(k, j0, j1);
    k += j1 - j0;
    if (k < n) opts.onProgress?.(k);
  }
  spare = { u, stream };
  if (n > 0) opts.onProgress?.(n);

  const ids: IdSource =
    start === 0
      ? { kind: "generated", prefix: spec.ids.prefix, width: spec.ids.width }
      : { kind: "generated", prefix: spec.ids.prefix, width: spec.ids.width, start };
  return {
    size: n,
    ids,
    columns,
    dictionaries: { region: [...cats.region!], sector: [...cats.sector!], profession: professionDict },
  };
}

/** The period a spec generates by default, as ISO dates. */
export function specPeriod(spec: DistributionSpec): { from: string; to: string } {
  return { from: formatIsoDay(parseIsoDay(spec.period.from)), to: formatIsoDay(parseIsoDay(spec.period.to)) };
}
