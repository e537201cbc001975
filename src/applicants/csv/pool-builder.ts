import { CsvFileError } from "../../errors.js";
import { formatCount, LIMITS } from "../../limits.js";
import { type ApplicantPool, allocateColumns, Dictionary, type PoolColumns } from "../pool.js";
import { APPLICANT_COLUMNS } from "../record.js";
import { CellKind, COLUMN_COUNT, KINDS } from "./row.js";

type Column = PoolColumns[keyof PoolColumns];

/** Dictionary codes are stored in Uint16Array columns. */
const MAX_DICTIONARY_SIZE = 65_536;

/**
 * Grows an ApplicantPool row by row without knowing the final size: typed-array columns double when
 * full and are trimmed to the exact size at the end, so a million rows cost a few copies, not a
 * million small objects.
 */
export class PoolBuilder {
  size = 0;
  private capacity: number;
  private columns: PoolColumns;
  /** columns indexed like APPLICANT_COLUMNS (entry 0, id, is unused) */
  private targets: Column[];
  private readonly ids: string[] = [];
  private readonly dictionaries = new Map<number, Dictionary>();
  private readonly extraValues: string[][];

  constructor(
    private readonly file: string,
    private readonly extraNames: readonly string[] = [],
    initialCapacity = 4096,
  ) {
    this.capacity = Math.max(16, initialCapacity);
    this.columns = allocateColumns(this.capacity);
    this.targets = this.targetsOf(this.columns);
    APPLICANT_COLUMNS.forEach((spec, k) => {
      if (KINDS[k] === CellKind.Key)
        this.dictionaries.set(k, new Dictionary(spec.name === "profession" ? [""] : []));
    });
    this.extraValues = extraNames.map(() => []);
  }

  private targetsOf(columns: PoolColumns): Column[] {
    return APPLICANT_COLUMNS.map((spec) => (spec.name === "id" ? columns.age : columns[spec.name]));
  }

  /** Append one checked row held in a RowChecker's `values` / `texts`; `extras` in extra-column order. */
  append(values: Float64Array, texts: readonly string[], extras?: readonly string[]): void {
    if (this.size === this.capacity) {
      if (this.size >= LIMITS.poolRows)
        throw new CsvFileError(
          this.file,
          `more than ${formatCount(LIMITS.poolRows)} good rows, the limit of an applicant pool; split the file`,
        );
      this.grow();
    }
    const i = this.size;
    const targets = this.targets;
    for (let k = 1; k < COLUMN_COUNT; k++) {
      if (KINDS[k] === CellKind.Key) targets[k]![i] = this.code(k, texts[k]!);
      else targets[k]![i] = values[k]!;
    }
    this.ids.push(texts[0]!);
    if (extras !== undefined) for (let e = 0; e < extras.length; e++) this.extraValues[e]!.push(extras[e]!);
    this.size = i + 1;
  }

  private code(k: number, text: string): number {
    const dictionary = this.dictionaries.get(k)!;
    const code = dictionary.code(text);
    if (code >= MAX_DICTIONARY_SIZE) {
      throw new CsvFileError(
        this.file,
        `more than ${MAX_DICTIONARY_SIZE} distinct values in column ${APPLICANT_COLUMNS[k]!.name}; it holds keys such as 'other'`,
      );
    }
    return code;
  }

  private grow(): void {
    this.resize(Math.min(this.capacity * 2, LIMITS.poolRows));
  }

  private resize(capacity: number): void {
    const next = allocateColumns(capacity);
    const n = Math.min(this.size, capacity);
    for (const name of Object.keys(next) as (keyof PoolColumns)[]) {
      (next[name] as Column).set((this.columns[name] as Column).subarray(0, n));
    }
    this.columns = next;
    this.targets = this.targetsOf(next);
    this.capacity = capacity;
  }

  /** The finished pool, with columns trimmed to its size. The builder must not be used afterwards. */
  finish(): ApplicantPool {
    if (this.capacity !== this.size) this.resize(this.size);
    const dictionary = (name: string): string[] =>
      this.dictionaries.get(APPLICANT_COLUMNS.findIndex((c) => c.name === name))!.values;
    const pool: ApplicantPool = {
      size: this.size,
      ids: { kind: "list", ids: this.ids },
      columns: this.columns,
      dictionaries: {
        region: dictionary("region"),
        sector: dictionary("sector"),
        profession: dictionary("profession"),
      },
    };
    if (this.extraNames.length > 0) pool.extra = { names: [...this.extraNames], values: this.extraValues };
    return pool;
  }
}
