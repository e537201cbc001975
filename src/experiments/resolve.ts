import { existsSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import {
  applySpecOverrides,
  type DistributionSpec,
  listDistributionSpecs,
  loadDistributionSpec,
  specToData,
} from "../applicants/generate/index.js";
import { formatIsoDay, parseIsoDay, quarterOfDay, quarterStartDay } from "../dates.js";
import { didYouMean } from "../did-you-mean.js";
import { ErrorList, ScenarioError, SpecError } from "../errors.js";
import type { RuleBook } from "../rules/book.js";
import { loadRuleBook, ruleBookFrom } from "../rules/load.js";
import { ruleSetsInForceBetween, unreachablePassMark } from "../rules/pass-mark.js";
import type { RuleSet, TalentList } from "../rules/types.js";
import {
  type ExtraOverrides,
  type ReformBase,
  type ResolvedScenario,
  resolveScenarioFile,
} from "../scenario/extends.js";
import type { Scenario } from "../scenario/schema.js";
import { validateScenario } from "../scenario/validate.js";
import { sharedRuleBook } from "./model.js";

/**
 * resolveScenarioFile wired to the real validators: the scenario schema (src/scenario/validate.ts),
 * the rule book (src/rules/load.ts) and distribution specs (src/applicants/generate/spec.ts).
 */
export interface ResolveOptions {
  /** the data folder holding rules/, talent-lists/ and distributions/ (default "data") */
  dataDir?: string;
  extra?: ExtraOverrides;
}

/**
 * The validator keeps a CSV path relative to the working folder, joining a relative one to the
 * scenario file's folder. Re-validating after overrides must not join it again, so it goes through
 * as an absolute path and comes back relative.
 */
function validate(document: unknown, file: string, revalidation: boolean): Record<string, unknown> {
  const doc = structuredClone(document) as Record<string, unknown>;
  const pool = doc["pool"] as Record<string, unknown> | undefined;
  const csv = pool?.["csv"];
  if (pool && typeof csv === "string" && revalidation && !isAbsolute(csv)) pool["csv"] = resolve(csv);
  const out = validateScenario(doc, file) as unknown as Record<string, unknown>;
  const outPool = out["pool"] as Record<string, unknown>;
  if (typeof outPool["csv"] === "string" && isAbsolute(outPool["csv"]))
    outPool["csv"] = relative(process.cwd(), outPool["csv"]) || ".";
  return out;
}

export function reformBase(dataDir = "data"): ReformBase {
  return {
    parseScenario: validate,
    loadRules() {
      const book = loadRuleBook(dataDir);
      return { ruleSets: structuredClone(book.ruleSets), talentLists: structuredClone(book.talentLists) };
    },
    validateRules(ruleSets: RuleSet[], talentLists: TalentList[]) {
      ruleBookFrom(ruleSets, talentLists, {
        ruleSets: ruleSets.map((r) => `rules.${r.id}`),
        talentLists: talentLists.map((l) => `talent_lists.${l.id}`),
      });
    },
    loadSpec(scenario) {
      const pool = scenario["pool"] as { spec?: string };
      if (pool.spec === undefined) return undefined;
      return specToData(loadDistributionSpec(pool.spec, dataDir)) as unknown as Record<string, unknown>;
    },
    applySpecOverrides(spec, overrides, file) {
      // the generator's own override semantics (set by key path, or add/scale/share a category's share)
      try {
        const typed = { ...(spec as unknown as DistributionSpec), file: `${file}: spec` };
        return specToData(applySpecOverrides(typed, overrides, file)) as unknown as Record<string, unknown>;
      } catch (err) {
        throw asScenarioError(err, file);
      }
    },
  };
}

/** A spec error caused by a scenario's overrides, reported against the scenario file and its override path. */
function asScenarioError(err: unknown, file: string): unknown {
  const one = (e: unknown) =>
    e instanceof SpecError
      ? new ScenarioError(
          file,
          e.file === file ? `overrides.spec.${e.path}` : "overrides.spec",
          e.file === file ? e.reason : e.message,
          e.suggestion,
        )
      : e;
  if (err instanceof ErrorList) {
    const errors = err.errors.map(one);
    return errors.length === 1 ? errors[0] : new ErrorList(errors as ScenarioError[], err.total);
  }
  return one(err);
}

export function resolveScenario(path: string, opts: ResolveOptions = {}): ResolvedScenario {
  const unit = resolveScenarioFile(path, reformBase(opts.dataDir), opts.extra);
  checkNamedData(unit, opts.dataDir ?? "data");
  return unit;
}

/**
 * The rule set and spec a scenario names exist: checked here, with the scenario file and key, rather
 * than when they are loaded, where the error could name neither.
 */
function checkNamedData(unit: ResolvedScenario, dataDir: string): void {
  const file = unit.chain[0] ?? unit.name;
  const rules = unit.scenario["rules"];
  if (typeof rules === "string" && rules !== "auto") {
    const ids = unit.rules ? unit.rules.ruleSets.map((r) => r.id) : sharedRuleBook(dataDir).ids;
    if (!ids.includes(rules))
      throw new ScenarioError(
        file,
        "rules",
        `unknown rule set '${rules}' (known: auto, ${ids.join(", ")})`,
        didYouMean(rules, ids, "third"),
      );
  }
  const book = unit.rules
    ? ruleBookFrom(unit.rules.ruleSets, unit.rules.talentLists)
    : sharedRuleBook(dataDir);
  checkScenarioPassMark(file, unit.scenario as unknown as Scenario, book, unit.overrides);
  checkSpecIds(unit, file, dataDir);
  checkCommitteeSectors(unit, file, dataDir);
}

/**
 * Sectors a committee names (caps, shares, a standard's weights) must be sectors of the generated pool,
 * or the setting silently applies to nobody: checked against the pool specs' sector categories (the
 * scenario's own and those its timeline switches to). A CSV pool's sectors are only known once read.
 */
function checkCommitteeSectors(unit: ResolvedScenario, file: string, dataDir: string): void {
  const scenario = unit.scenario as unknown as Scenario;
  if (scenario.pool.spec === undefined) return;
  const committees: [string, Scenario["committee"]][] = [["committee", scenario.committee]];
  const specIds = new Set<string>([scenario.pool.spec]);
  scenario.timeline.forEach((e, i) => {
    if ("committee" in e.set)
      committees.push([`timeline.${i}.set.committee`, e.set["committee"] as Scenario["committee"]]);
    if (typeof e.set["pool.spec"] === "string") specIds.add(e.set["pool.spec"]);
  });
  if (committees.every(([, c]) => c === null)) return;
  const sectors = new Set<string>();
  for (const id of specIds) {
    const spec = id === scenario.pool.spec && unit.spec ? unit.spec : loadSpecData(id, dataDir);
    if (!spec) return;
    for (const key of sectorCategories(spec)) sectors.add(key);
  }
  const known = [...sectors].sort();
  for (const [at, c] of committees) {
    if (!c) continue;
    const named: [string, Record<string, unknown>][] = [
      ["sector_caps", c.sector_caps],
      ["sector_shares", c.sector_shares],
      ["standard.sectors", c.standard?.sectors ?? {}],
    ];
    for (const [key, map] of named)
      for (const sector of Object.keys(map))
        if (!sectors.has(sector))
          throw new ScenarioError(
            file,
            `${at}.${key}.${sector}`,
            `no sector '${sector}' in the pool (sectors: ${known.join(", ")})`,
            didYouMean(sector, known, "third"),
          );
  }
}

function loadSpecData(id: string, dataDir: string): Record<string, unknown> | undefined {
  try {
    return specToData(loadDistributionSpec(id, dataDir)) as unknown as Record<string, unknown>;
  } catch {
    return undefined; // reported by checkSpecIds with the key that names it
  }
}

/** The sector categories a spec can draw: its marginal's and its conditionals' weights. */
function sectorCategories(spec: Record<string, unknown>): string[] {
  const out: string[] = [];
  const weightsOf = (d: unknown) => {
    const w = (d as { weights?: Record<string, unknown> } | undefined)?.weights;
    if (w && typeof w === "object") out.push(...Object.keys(w));
  };
  weightsOf((spec["marginals"] as Record<string, unknown> | undefined)?.["sector"]);
  const cond = (spec["conditionals"] as Record<string, { cases?: Record<string, unknown> }> | undefined)?.[
    "sector"
  ];
  for (const d of Object.values(cond?.cases ?? {})) weightsOf(d);
  return out;
}

/** The spec a scenario names exists (an id in the data folder, or a path). */
function checkSpecIds(unit: ResolvedScenario, file: string, dataDir: string): void {
  const spec = (unit.scenario["pool"] as { spec?: string } | undefined)?.spec;
  if (spec === undefined || unit.spec) return;
  const isPath = spec.includes("/") || spec.includes("\\") || /\.ya?ml$/i.test(spec);
  if (isPath) {
    if (!existsSync(spec)) throw new ScenarioError(file, "pool.spec", `distribution spec not found: ${spec}`);
    return;
  }
  const ids = listDistributionSpecs(dataDir);
  if (!ids.includes(spec))
    throw new ScenarioError(
      file,
      "pool.spec",
      `unknown distribution spec '${spec}' (available: ${ids.join(", ") || "none"}, or a path to a .yaml file)`,
      didYouMean(spec, ids, "third"),
    );
}

/** A pass mark set by the timeline, against the points rule sets in force from its date to the period's end. */
function checkDatedPassMarks(file: string, scenario: Scenario, book: RuleBook): void {
  scenario.timeline.forEach((entry, i) => {
    const mark = entry.set["pass_mark"];
    if (typeof mark !== "number") return;
    let ruleSets: RuleSet[];
    if (scenario.rules !== "auto") ruleSets = [book.get(scenario.rules)];
    else if (scenario.period) {
      const first = quarterOfDay(parseIsoDay(scenario.period.from));
      const last = formatIsoDay(quarterStartDay(first + scenario.period.quarters) - 1);
      ruleSets = ruleSetsInForceBetween(book, entry.from, last);
    } else ruleSets = ruleSetsInForceBetween(book, entry.from);
    const reason = unreachablePassMark(mark, ruleSets);
    if (reason !== undefined) throw new ScenarioError(file, `timeline.${i}.set.pass_mark`, reason);
  });
}

/** The scenario's pass_mark against the points rule sets the run can use (forced, or in force in its period). */
function checkScenarioPassMark(
  file: string,
  scenario: Scenario,
  book: RuleBook,
  overrides: readonly { file: string; path: string }[],
): void {
  checkDatedPassMarks(file, scenario, book);
  if (scenario.pass_mark === null) return;
  let ruleSets: RuleSet[];
  if (scenario.rules !== "auto") ruleSets = [book.get(scenario.rules)];
  else if (scenario.period) {
    const first = quarterOfDay(parseIsoDay(scenario.period.from));
    const last = formatIsoDay(quarterStartDay(first + scenario.period.quarters) - 1);
    ruleSets = ruleSetsInForceBetween(book, scenario.period.from, last);
  } else ruleSets = ruleSetsInForceBetween(book);
  const reason = unreachablePassMark(scenario.pass_mark, ruleSets);
  if (reason === undefined) return;
  // a value set by an override (a reform, --vary) is not in the file: say where it came from
  const from = overrides.find((o) => o.path === "pass_mark" && o.file !== file);
  throw new ScenarioError(file, "pass_mark", from ? `set by ${from.file}: ${reason}` : reason);
}
