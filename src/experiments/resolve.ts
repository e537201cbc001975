import { isAbsolute, relative, resolve } from "node:path";
import { loadDistributionSpec, parseDistributionSpec, specToData } from "../applicants/spec.js";
import { loadRuleBook, ruleBookFrom } from "../rules/load.js";
import type { RuleSet, TalentList } from "../rules/types.js";
import { type ExtraOverrides, type ReformBase, type ResolvedScenario, resolveScenarioFile } from "../scenario/extends.js";
import { applyOverride } from "../scenario/overrides.js";
import { validateScenario } from "../scenario/validate.js";

/**
 * resolveScenarioFile wired to the real validators: the scenario schema (src/scenario/validate.ts),
 * the rule book (src/rules/load.ts) and distribution specs (src/applicants/spec.ts).
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
  if (typeof outPool["csv"] === "string" && isAbsolute(outPool["csv"])) outPool["csv"] = relative(process.cwd(), outPool["csv"]) || ".";
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
      const data = structuredClone(spec);
      for (const [path, value] of Object.entries(overrides)) applyOverride(data, path, value, file, `spec.${path}`);
      return specToData(parseDistributionSpec(data, `${file} (spec after overrides)`)) as unknown as Record<string, unknown>;
    },
  };
}

export function resolveScenario(path: string, opts: ResolveOptions = {}): ResolvedScenario {
  return resolveScenarioFile(path, reformBase(opts.dataDir), opts.extra);
}
