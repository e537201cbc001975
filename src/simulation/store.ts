import { type ApplicantPool, allocateColumns, Dictionary, type IdSource, idOf } from "../applicants/pool.js";
import { SEXES } from "../applicants/record.js";
import type { PoolScores } from "../rules/types.js";

/** Age bands of the cohort table (the 2021 ImmD figures use 18–39, 40–44, 45+; 50 was the 2006 limit). */
export const AGE_BANDS = ["under_18", "18-39", "40-44", "45-50", "51+"] as const;
/** Highest qualification, for the cohort table. */
export const EDUCATION_LEVELS = [
  "none",
  "professional_qualification",
  "bachelor",
  "master",
  "doctoral",
] as const;

const EMPTY_COLUMNS = allocateColumns(0);
const EMPTY_DICTIONARIES = { region: [], sector: [], profession: [""] };
/** age (a byte) → index into AGE_BANDS */
const AGE_BAND_OF = Uint8Array.from({ length: 256 }, (_, age) => ageBandOf(age));

export function ageBandOf(age: number): number {
  return age < 18 ? 0 : age < 40 ? 1 : age < 45 ? 2 : age <= 50 ? 3 : 4;
}

/**
 * What the engine keeps of each application: the few columns selection and the reports need, copied
 * from each arrival batch (pool + its scores) so the full pool of a batch can be dropped once it is in.
 * Indexed by application number (0..size-1, in the order batches were added).
 */
export class Applications {
  size = 0;
  readonly appliedOn: Int32Array;
  readonly total: Int16Array;
  /** index into ROUTES */
  readonly route: Uint8Array;
  readonly eligible: Uint8Array;
  readonly passed: Uint8Array;
  /** index into ruleSetIds */
  readonly ruleSet: Uint8Array;
  /** principal + accompanying spouse + children under 18 */
  readonly persons: Uint8Array;
  /** index into AGE_BANDS */
  readonly ageBand: Uint8Array;
  /** age and annual income (HK$) at application, for what happens after allotment (src/residence) */
  readonly age: Uint8Array;
  readonly income: Float32Array;
  /** index into SEXES */
  readonly sex: Uint8Array;
  /** index into EDUCATION_LEVELS */
  readonly education: Uint8Array;
  readonly region: Uint16Array;
  readonly sector: Uint16Array;
  /** row of the application in its batch (batches are stored in date order) */
  readonly row: Int32Array;
  readonly ruleSetIds: string[] = [];
  readonly regions = new Dictionary();
  readonly sectors = new Dictionary();
  private readonly idSegments: { start: number; ids: IdSource; pool: ApplicantPool; offset: number }[] = [];
  private ruleSetCodes = new Map<string, number>();
  /** whether ids sort like generated indices (undefined: not yet known for the batches added) */
  private numericIds: boolean | undefined;

  constructor(readonly capacity: number) {
    this.appliedOn = new Int32Array(capacity);
    this.total = new Int16Array(capacity);
    this.route = new Uint8Array(capacity);
    this.eligible = new Uint8Array(capacity);
    this.passed = new Uint8Array(capacity);
    this.ruleSet = new Uint8Array(capacity);
    this.persons = new Uint8Array(capacity);
    this.ageBand = new Uint8Array(capacity);
    this.age = new Uint8Array(capacity);
    this.income = new Float32Array(capacity);
    this.sex = new Uint8Array(capacity);
    this.education = new Uint8Array(capacity);
    this.region = new Uint16Array(capacity);
    this.sector = new Uint16Array(capacity);
    this.row = new Int32Array(capacity);
  }

  /**
   * Append a batch of arrivals with its scores; returns the application number of its first row.
   * Rows are stored in applied_on order (stable), so application numbers are the queue order and
   * the engine walks its columns sequentially. Batches must come in date order (a generated pool
   * arrives quarter by quarter; a CSV pool is one batch). `ids` replaces the pool's own ids:
   * generated batches pass their prefix, width and start index so no id string is kept per row.
   */
  add(
    pool: ApplicantPool,
    scores: PoolScores,
    ids?: { prefix: string; width: number; startIndex: number },
  ): number {
    return this.append(prepareBatch(pool, scores, ids));
  }

  /** Append a batch made by prepareBatch (possibly on another thread); returns its first application number. */
  append(batch: ArrivalBatch): number {
    const start = this.size;
    const n = batch.size;
    if (start + n > this.capacity) throw new Error("more applications than the store was sized for");
    if (n > 0 && start > 0 && batch.appliedOn[0]! < this.appliedOn[start - 1]!)
      throw new Error("arrival batches must come in date order");
    this.appliedOn.set(batch.appliedOn, start);
    this.total.set(batch.total, start);
    this.route.set(batch.route, start);
    this.eligible.set(batch.eligible, start);
    this.passed.set(batch.passed, start);
    this.persons.set(batch.persons, start);
    this.ageBand.set(batch.ageBand, start);
    this.age.set(batch.age, start);
    this.income.set(batch.income, start);
    this.sex.set(batch.sex, start);
    this.education.set(batch.education, start);
    this.row.set(batch.row, start);
    copyCodes(
      batch.ruleSet,
      batch.ruleSetIds.map((id) => this.ruleSetCode(id)),
      this.ruleSet,
      start,
    );
    copyCodes(
      batch.region,
      batch.regions.map((r) => this.regions.code(r)),
      this.region,
      start,
    );
    copyCodes(
      batch.sector,
      batch.sectors.map((r) => this.sectors.code(r)),
      this.sector,
      start,
    );
    // Keep only what idOf needs (a shell without columns), so the batch itself can be freed.
    const shell: ApplicantPool = {
      size: n,
      ids: batch.ids,
      columns: EMPTY_COLUMNS,
      dictionaries: EMPTY_DICTIONARIES,
    };
    this.idSegments.push({ start, ids: batch.ids, pool: shell, offset: batch.offset });
    this.size += n;
    this.numericIds = undefined;
    return start;
  }

  private segmentOf(g: number): { start: number; ids: IdSource; pool: ApplicantPool; offset: number } {
    const segs = this.idSegments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid]!.start <= g) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo]!;
  }

  idOf(g: number): string {
    const seg = this.segmentOf(g);
    return idOf(seg.pool, this.row[g]! + seg.offset);
  }

  /** Order of two applications by id: generated ids by their index, other ids as text (code units). */
  compareIds(a: number, b: number): number {
    if (this.numericIds === undefined) this.numericIds = this.idsSortLikeNumbers();
    if (this.numericIds)
      return this.segmentOf(a).offset + this.row[a]! - (this.segmentOf(b).offset + this.row[b]!);
    const x = this.idOf(a);
    const y = this.idOf(b);
    return x < y ? -1 : x > y ? 1 : a - b;
  }

  sexName(code: number): string {
    return SEXES[code] ?? "X";
  }

  private idsSortLikeNumbers(): boolean {
    let prev = "";
    for (const seg of this.idSegments) {
      if (seg.ids.kind !== "generated") return false;
      const first = idOf(seg.pool, seg.offset);
      const last = idOf(seg.pool, seg.offset + seg.pool.size - 1);
      if (
        seg.ids.kind === "generated" &&
        seg.ids.prefix !== (this.idSegments[0]!.ids as { prefix: string }).prefix
      )
        return false;
      if (seg.pool.size > 0 && (first < prev || first.length !== last.length)) return false;
      if (seg.pool.size > 0) prev = last;
    }
    return true;
  }

  private ruleSetCode(id: string): number {
    let code = this.ruleSetCodes.get(id);
    if (code === undefined) {
      code = this.ruleSetIds.length;
      this.ruleSetIds.push(id);
      this.ruleSetCodes.set(id, code);
    }
    return code;
  }
}

/**
 * What the store keeps of one batch of arrivals, already in applied_on order: plain typed arrays and
 * strings, so a worker thread can build it and transfer it (see ArrivalBatch.transfer). Codes of
 * ruleSet, region and sector index this batch's own ruleSetIds, regions and sectors.
 */
export interface ArrivalBatch {
  size: number;
  appliedOn: Int32Array;
  total: Int16Array;
  route: Uint8Array;
  eligible: Uint8Array;
  passed: Uint8Array;
  ruleSet: Uint8Array;
  persons: Uint8Array;
  ageBand: Uint8Array;
  age: Uint8Array;
  income: Float32Array;
  sex: Uint8Array;
  education: Uint8Array;
  region: Uint16Array;
  sector: Uint16Array;
  /** row of each application in its pool */
  row: Int32Array;
  ruleSetIds: string[];
  regions: string[];
  sectors: string[];
  ids: IdSource;
  /** applicant index of the pool's row 0 (generated ids) */
  offset: number;
}

/** The buffers of a batch, for postMessage's transfer list. */
export function batchBuffers(b: ArrivalBatch): ArrayBuffer[] {
  const arrays = [
    b.appliedOn,
    b.total,
    b.route,
    b.eligible,
    b.passed,
    b.ruleSet,
    b.persons,
    b.ageBand,
    b.age,
    b.income,
    b.sex,
    b.education,
    b.region,
    b.sector,
    b.row,
  ];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/**
 * The store's columns of a pool and its scores, in applied_on order (stable): one pass in pool order
 * that writes each row to its place (reads sequential, writes on the ~90 day runs). The first version,
 * one loop over the date-ordered rows gathering from twenty columns at random, missed the cache on
 * most reads (2.4 s against ≈1 s for 10 million applications).
 */
export function prepareBatch(
  pool: ApplicantPool,
  scores: PoolScores,
  ids?: { prefix: string; width: number; startIndex: number },
): ArrivalBatch {
  if (scores.size !== pool.size)
    throw new Error(`scores for ${scores.size} applicants, pool of ${pool.size}`);
  const n = pool.size;
  const c = pool.columns;
  const dest = datePlaces(c.applied_on);
  const b: ArrivalBatch = {
    size: n,
    appliedOn: new Int32Array(n),
    total: new Int16Array(n),
    route: new Uint8Array(n),
    eligible: new Uint8Array(n),
    passed: new Uint8Array(n),
    ruleSet: new Uint8Array(n),
    persons: new Uint8Array(n),
    ageBand: new Uint8Array(n),
    age: new Uint8Array(n),
    income: new Float32Array(n),
    sex: new Uint8Array(n),
    education: new Uint8Array(n),
    region: new Uint16Array(n),
    sector: new Uint16Array(n),
    row: new Int32Array(n),
    ruleSetIds: [...scores.ruleSetIds],
    regions: [...pool.dictionaries.region],
    sectors: [...pool.dictionaries.sector],
    ids: ids ? { kind: "generated", prefix: ids.prefix, width: ids.width } : pool.ids,
    offset: ids?.startIndex ?? 0,
  };
  // one pass in pool order (sequential reads), each row written to its place in date order
  const {
    applied_on,
    sex,
    region,
    sector,
    spouse_accompanying,
    children_under_18,
    age,
    annual_income_hkd,
    doctoral_degrees,
    master_degrees,
    bachelor_degrees,
    professional_qualification,
  } = c;
  const { total, route, eligible, passed, ruleSet } = scores;
  const {
    appliedOn: oDay,
    total: oTotal,
    route: oRoute,
    eligible: oEligible,
    passed: oPassed,
    ruleSet: oRuleSet,
    persons: oPersons,
  } = b;
  const { ageBand: oAge, sex: oSex, education: oEducation, region: oRegion, sector: oSector, row: oRow } = b;
  const { age: oYears, income: oIncome } = b;
  for (let i = 0; i < n; i++) {
    const k = dest ? dest[i]! : i;
    oRow[k] = i;
    oDay[k] = applied_on[i]!;
    oTotal[k] = total[i]!;
    oRoute[k] = route[i]!;
    oEligible[k] = eligible[i]!;
    oPassed[k] = passed[i]!;
    oRuleSet[k] = ruleSet[i]!;
    oPersons[k] = Math.min(1 + spouse_accompanying[i]! + children_under_18[i]!, 255);
    oAge[k] = AGE_BAND_OF[age[i]!]!;
    oYears[k] = age[i]!;
    oIncome[k] = annual_income_hkd[i]!;
    oSex[k] = sex[i]!;
    oEducation[k] =
      doctoral_degrees[i]! > 0
        ? 4
        : master_degrees[i]! > 0
          ? 3
          : bachelor_degrees[i]! > 0
            ? 2
            : professional_qualification[i]!
              ? 1
              : 0;
    oRegion[k] = region[i]!;
    oSector[k] = sector[i]!;
  }
  return b;
}

/** Copy codes into `out` at `start`, translated by `map` (a plain copy when the map is the identity). */
function copyCodes(
  codes: Uint8Array | Uint16Array,
  map: number[],
  out: Uint8Array | Uint16Array,
  start: number,
): void {
  if (map.every((m, i) => m === i)) {
    out.set(codes, start);
    return;
  }
  const table = Int32Array.from(map);
  for (let k = 0; k < codes.length; k++) out[start + k] = table[codes[k]!]!;
}

/**
 * Where each row of a batch goes in applied_on order, ties in row order (a stable counting sort over
 * days); null when the batch is already in order.
 */
function datePlaces(days: Int32Array): Int32Array | null {
  const n = days.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (days[i]! < days[i - 1]!) sorted = false;
  if (sorted) return null;
  let lo = days[0]!;
  let hi = days[0]!;
  for (let i = 1; i < n; i++) {
    const d = days[i]!;
    if (d < lo) lo = d;
    else if (d > hi) hi = d;
  }
  const next = new Int32Array(hi - lo + 2);
  for (let i = 0; i < n; i++) next[days[i]! - lo + 1]!++;
  for (let d = 0; d < hi - lo + 1; d++) next[d + 1]! += next[d]!;
  const dest = new Int32Array(n);
  for (let i = 0; i < n; i++) dest[i] = next[days[i]! - lo]!++;
  return dest;
}
