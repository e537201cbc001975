import { formatIsoDay, parseIsoDay } from "../dates.js";
import { didYouMean } from "../did-you-mean.js";
import { InputError } from "../errors.js";
import type { RuleSet, TalentList } from "./types.js";

/** Half-open day ranges [from, to) of dated items sorted by start; to = +Infinity when open. */
export interface DayRanges {
  from: Float64Array;
  to: Float64Array;
}

function rangesOf(items: readonly { effective_from: string; effective_to: string | null }[]): DayRanges {
  const from = new Float64Array(items.length);
  const to = new Float64Array(items.length);
  items.forEach((x, k) => {
    from[k] = parseIsoDay(x.effective_from);
    to[k] = x.effective_to === null ? Number.POSITIVE_INFINITY : parseIsoDay(x.effective_to);
  });
  return { from, to };
}

/** Index of the range containing `day`, or -1. */
export function rangeIndex(r: DayRanges, day: number): number {
  let lo = 0;
  let hi = r.from.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (day < r.from[mid]!) hi = mid - 1;
    else if (day >= r.to[mid]!) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function toDay(day: number | string): number {
  return typeof day === "string" ? parseIsoDay(day) : day;
}

/**
 * All rule sets and Talent Lists, validated (build with loadRuleBook or ruleBookFrom). Rule sets are
 * sorted by effective date and chain without gaps, so every day from the opening of the scheme has
 * exactly one in force.
 */
export class RuleBook {
  readonly ruleSets: RuleSet[];
  readonly talentLists: TalentList[];
  /** day ranges of `ruleSets` */
  readonly ruleSetDays: DayRanges;
  private readonly families = new Map<string, { lists: TalentList[]; days: DayRanges }>();
  private readonly listKeys = new Map<string, Set<string>>();

  constructor(ruleSets: RuleSet[], talentLists: TalentList[]) {
    const byDate = <T extends { effective_from: string }>(a: T, b: T) =>
      parseIsoDay(a.effective_from) - parseIsoDay(b.effective_from);
    this.ruleSets = ruleSets.slice().sort(byDate);
    this.talentLists = talentLists.slice().sort(byDate);
    this.ruleSetDays = rangesOf(this.ruleSets);
    for (const t of this.talentLists) {
      const fam = this.families.get(t.list) ?? {
        lists: [],
        days: { from: new Float64Array(), to: new Float64Array() },
      };
      fam.lists.push(t);
      this.families.set(t.list, fam);
      this.listKeys.set(t.id, new Set(t.professions.map((p) => p.key)));
    }
    for (const fam of this.families.values()) fam.days = rangesOf(fam.lists);
  }

  get ids(): string[] {
    return this.ruleSets.map((r) => r.id);
  }

  get(id: string): RuleSet {
    const rs = this.ruleSets.find((r) => r.id === id);
    if (!rs) {
      // Suggest only a near miss (a typo), not whichever id happens to be closest.
      const meant = didYouMean(id, this.ids, 2);
      throw new InputError(
        `unknown rule set '${id}' (known: ${this.ids.join(", ")})${meant ? `; did you mean '${meant}'?` : ""}`,
      );
    }
    return rs;
  }

  /** The first day of the scheme (the first rule set's effective_from). */
  get openingDay(): number {
    return this.ruleSetDays.from[0] ?? Number.NaN;
  }

  /** Index into ruleSets of the rule set in force on `day`, or -1. */
  indexInForce(day: number | string): number {
    return rangeIndex(this.ruleSetDays, toDay(day));
  }

  /** The rule set in force on a day (day number or ISO date). */
  inForce(day: number | string): RuleSet {
    const d = toDay(day);
    const k = rangeIndex(this.ruleSetDays, d);
    if (k < 0) {
      const shown = Number.isNaN(d) ? String(day) : formatIsoDay(d);
      const first = this.ruleSets[0];
      const why =
        first && d < this.openingDay
          ? `the scheme opened on ${first.effective_from}`
          : "no rule set covers that date";
      throw new InputError(`no rule set in force on ${shown}: ${why}`);
    }
    return this.ruleSets[k]!;
  }

  /** The list families named by `membership` components (e.g. "talent_list"). */
  get listFamilies(): string[] {
    return [...this.families.keys()];
  }

  /** The lists of one family in date order, with their day ranges. */
  family(family: string): { lists: TalentList[]; days: DayRanges } | undefined {
    return this.families.get(family);
  }

  talentListInForce(family: string, day: number | string): TalentList | undefined {
    const fam = this.families.get(family);
    if (!fam) return undefined;
    const k = rangeIndex(fam.days, toDay(day));
    return k < 0 ? undefined : fam.lists[k];
  }

  /** Whether `key` is on the list of `family` in force on `day`. */
  isListed(family: string, day: number | string, key: string): boolean {
    const list = this.talentListInForce(family, day);
    return list !== undefined && key !== "" && this.listKeys.get(list.id)!.has(key);
  }
}
