import { type ApplicantPool, allocateColumns, Dictionary, type IdSource, idOf } from "../applicants/pool.js";
import { SEXES } from "../applicants/record.js";
import type { PoolScores } from "../rules/types.js";

/** Age bands of the cohort table (the 2021 ImmD figures use 18–39, 40–44, 45+; 50 was the 2006 limit). */
export const AGE_BANDS = ["under_18", "18-39", "40-44", "45-50", "51+"] as const;
/** Highest qualification, for the cohort table. */
export const EDUCATION_LEVELS = ["none", "professional_qualification", "bachelor", "master", "doctoral"] as const;

const EMPTY_COLUMNS = allocateColumns(0);
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
  add(pool: ApplicantPool, scores: PoolScores, ids?: { prefix: string; width: number; startIndex: number }): number {
    if (scores.size !== pool.size) throw new Error(`scores for ${scores.size} applicants, pool of ${pool.size}`);
    const start = this.size;
    const n = pool.size;
    if (start + n > this.capacity) throw new Error("more applications than the store was sized for");
    const c = pool.columns;
    const perm = dateOrder(c.applied_on);
    if (n > 0 && start > 0 && c.applied_on[perm[0]!]! < this.appliedOn[start - 1]!) {
      throw new Error("arrival batches must come in date order");
    }
    const regionMap = Int32Array.from(pool.dictionaries.region, (r) => this.regions.code(r));
    const sectorMap = Int32Array.from(pool.dictionaries.sector, (s) => this.sectors.code(s));
    const ruleMap = Int32Array.from(scores.ruleSetIds, (id) => this.ruleSetCode(id));
    // Locals for every column: the loop runs once per application (10 million in the W2 benchmark).
    const { applied_on, spouse_accompanying, children_under_18, age, sex, doctoral_degrees, master_degrees, bachelor_degrees } = c;
    const { professional_qualification, region, sector } = c;
    const { total, route, eligible, passed, ruleSet } = scores;
    const outDay = this.appliedOn;
    const outTotal = this.total;
    const outRoute = this.route;
    const outEligible = this.eligible;
    const outPassed = this.passed;
    const outRuleSet = this.ruleSet;
    const outPersons = this.persons;
    const outAge = this.ageBand;
    const outSex = this.sex;
    const outEducation = this.education;
    const outRegion = this.region;
    const outSector = this.sector;
    const outRow = this.row;
    for (let k = 0; k < n; k++) {
      const i = perm[k]!;
      const g = start + k;
      outRow[g] = i;
      outDay[g] = applied_on[i]!;
      outTotal[g] = total[i]!;
      outRoute[g] = route[i]!;
      outEligible[g] = eligible[i]!;
      outPassed[g] = passed[i]!;
      outSex[g] = sex[i]!;
      outRuleSet[g] = ruleMap[ruleSet[i]!]!;
      outPersons[g] = Math.min(1 + spouse_accompanying[i]! + children_under_18[i]!, 255);
      outAge[g] = AGE_BAND_OF[age[i]!]!;
      outEducation[g] =
        doctoral_degrees[i]! > 0 ? 4 : master_degrees[i]! > 0 ? 3 : bachelor_degrees[i]! > 0 ? 2 : professional_qualification[i]! ? 1 : 0;
      outRegion[g] = regionMap[region[i]!]!;
      outSector[g] = sectorMap[sector[i]!]!;
    }
    // Keep only what idOf needs (a shell without the columns), so the batch's pool can be freed.
    const idSource: IdSource = ids ? { kind: "generated", prefix: ids.prefix, width: ids.width } : pool.ids;
    const shell: ApplicantPool = { size: n, ids: idSource, columns: EMPTY_COLUMNS, dictionaries: pool.dictionaries };
    this.idSegments.push({ start, ids: idSource, pool: shell, offset: ids?.startIndex ?? 0 });
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
    if (this.numericIds) return this.segmentOf(a).offset + this.row[a]! - (this.segmentOf(b).offset + this.row[b]!);
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
      if (seg.ids.kind === "generated" && seg.ids.prefix !== (this.idSegments[0]!.ids as { prefix: string }).prefix) return false;
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

/** Rows of a batch in applied_on order, ties in row order (a stable counting sort over days). */
function dateOrder(days: Int32Array): Int32Array {
  const n = days.length;
  let lo = 0;
  let hi = -1;
  if (n > 0) {
    lo = days[0]!;
    hi = days[0]!;
    for (let i = 1; i < n; i++) {
      const d = days[i]!;
      if (d < lo) lo = d;
      else if (d > hi) hi = d;
    }
  }
  const start = new Int32Array(hi - lo + 2);
  for (let i = 0; i < n; i++) start[days[i]! - lo + 1]!++;
  for (let d = 0; d < hi - lo + 1; d++) start[d + 1]! += start[d]!;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[start[days[i]! - lo]!++] = i;
  return out;
}
