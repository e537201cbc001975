import { loadDistributionSpec, specToData } from "../applicants/generate/index.js";
import { loadRuleBook } from "../rules/load.js";
import { type Change, diffValues } from "../scenario/diff.js";
import type { ResolvedScenario } from "../scenario/extends.js";

/**
 * The parameters that differ between two resolved scenarios, as override paths: scenario keys bare
 * (`quota.per_year`), rule sets under `rules.<id>`, Talent Lists under `talent_lists.<id>`, the
 * distribution spec under `spec`. Names and descriptions are labels, not parameters, and are left out.
 */
export function changedParameters(from: ResolvedScenario, to: ResolvedScenario, dataDir = "data"): Change[] {
  const label = new Set(["name", "description"]);
  const strip = (s: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(s).filter(([k]) => !label.has(k)));
  const changes = diffValues(strip(from.scenario), strip(to.scenario));
  if (from.rules || to.rules) {
    let loaded: { ruleSets: unknown[]; talentLists: unknown[] } | undefined;
    const files = () => {
      if (!loaded) {
        const book = loadRuleBook(dataDir);
        loaded = { ruleSets: structuredClone(book.ruleSets), talentLists: structuredClone(book.talentLists) };
      }
      return loaded;
    };
    const a = from.rules ?? files();
    const b = to.rules ?? files();
    for (const c of diffValues(a.ruleSets, b.ruleSets)) changes.push({ ...c, path: `rules.${c.path}` });
    for (const c of diffValues(a.talentLists, b.talentLists))
      changes.push({ ...c, path: `talent_lists.${c.path}` });
  }
  if (from.spec || to.spec) {
    const specOf = (u: ResolvedScenario) => {
      if (u.spec) return u.spec;
      const pool = u.scenario["pool"] as { spec?: string };
      return pool.spec === undefined ? undefined : specToData(loadDistributionSpec(pool.spec, dataDir));
    };
    for (const c of diffValues(specOf(from), specOf(to)))
      changes.push({ ...c, path: c.path === "" ? "spec" : `spec.${c.path}` });
  }
  return changes;
}
