import { existsSync } from "node:fs";
import { basename, dirname, extname, relative, resolve } from "node:path";
import { parseDocument } from "yaml";
import { didYouMean } from "../did-you-mean.js";
import { ErrorList, InputError, QmasError, ScenarioError } from "../errors.js";
import type { RuleSet, TalentList } from "../rules/types.js";
import { readYamlText, yamlToData } from "../yaml-file.js";
import { applyOverride, parsePath, toScenarioError } from "./overrides.js";

/**
 * Scenarios as reforms. A reform file names the scenario it `extends` (a path relative to the file)
 * and lists `overrides` by path; the chain of `extends` ends at a full scenario (a file without
 * `extends`). Overrides apply root first, so a reform of a reform sees its parent's changes.
 *
 * An override path starts with what it changes:
 *   - `rules.<rule-set id>.…`           a value of a rule set (points, bands, pass mark…)
 *   - `talent_lists.<list id>.add`      professions added to a Talent List ([key, …] or [{key, label}])
 *   - `talent_lists.<list id>.remove`   professions removed from it
 *   - `talent_lists.<list id>.…`        any other value of a Talent List
 *   - `spec.…`                          the distribution spec of a generated pool, in the generator's
 *                                       override syntax (a value by key path, or {add|scale|share} of
 *                                       a category's share: src/applicants/generate/overrides.ts)
 *   - anything else                     a key of the scenario itself (quota.per_year, pass_mark…)
 * After the overrides the scenario, the rule book and the spec are validated again.
 */

/** Keys a reform file may hold besides `extends` and `overrides`. */
export const REFORM_KEYS = ["extends", "name", "question", "sources", "notes", "overrides"] as const;

export interface ReformSource {
  about: string;
  url: string;
}

export interface ChainLink {
  file: string;
  document: Record<string, unknown>;
}

export interface AppliedOverride {
  /** scenario file that sets it */
  file: string;
  path: string;
  value: unknown;
}

/** What overrides can change besides the scenario, and how to check the result. */
export interface ReformBase {
  /**
   * validate a full scenario document, returning it as plain data with every default filled in;
   * `revalidation` = the document is an earlier result with overrides applied (paths already resolved)
   */
  parseScenario(document: unknown, file: string, revalidation: boolean): Record<string, unknown>;
  /** the rule sets and Talent Lists a scenario starts from (usually loadRuleBook("data")) */
  loadRules(): { ruleSets: RuleSet[]; talentLists: TalentList[] };
  /** throw when rule sets / lists changed by overrides no longer validate (usually ruleBookFrom) */
  validateRules(ruleSets: RuleSet[], talentLists: TalentList[]): void;
  /** the distribution spec of a scenario's generated pool as plain data, or undefined for a CSV pool */
  loadSpec(scenario: Record<string, unknown>, file: string): Record<string, unknown> | undefined;
  /** apply overrides (paths relative to the spec) and validate; returns the new spec */
  applySpecOverrides(
    spec: Record<string, unknown>,
    overrides: Record<string, unknown>,
    file: string,
  ): Record<string, unknown>;
}

export interface ResolvedScenario {
  /** reports go to reports/<name>/ */
  name: string;
  /** the file asked for, then each file it extends, up to the full scenario */
  chain: string[];
  question: string;
  sources: ReformSource[];
  /** the scenario as run: validated, every default filled in */
  scenario: Record<string, unknown>;
  overrides: AppliedOverride[];
  /** rule sets and Talent Lists when overrides changed them; null = the data files as they are */
  rules: { ruleSets: RuleSet[]; talentLists: TalentList[] } | null;
  /** the distribution spec when overrides changed it; null = as loaded from its file */
  spec: Record<string, unknown> | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function shortName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}

function readYamlMap(file: string, from?: { file: string; path: string }): Record<string, unknown> {
  if (!existsSync(file)) {
    if (from) throw new ScenarioError(shortName(from.file), from.path, `file not found: ${shortName(file)}`);
    throw new InputError(`${shortName(file)}: scenario file not found`);
  }
  const fail = (reason: string) => new ScenarioError(shortName(file), "", reason);
  const doc = parseDocument(readYamlText(file, fail), { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw fail(`invalid YAML: ${e.message.split("\n")[0]}`);
  }
  const value: unknown = yamlToData(doc, fail);
  if (!isRecord(value))
    throw new ScenarioError(shortName(file), "", "a scenario file must be a YAML map of keys");
  return value;
}

/** The files of a chain, the requested file first, ending at a full scenario. Cycles are errors naming the chain. */
export function readScenarioChain(path: string): ChainLink[] {
  const links: ChainLink[] = [];
  let file = resolve(path);
  let from: { file: string; path: string } | undefined;
  for (;;) {
    if (links.some((l) => l.file === file)) {
      const names = [...links.map((l) => shortName(l.file)), shortName(file)];
      throw new ScenarioError(
        shortName(links[links.length - 1]!.file),
        "extends",
        `extends cycle: ${names.join(" → ")}`,
      );
    }
    const document = readYamlMap(file, from);
    links.push({ file, document });
    const ext = document["extends"];
    if (ext === undefined) return links;
    if (typeof ext !== "string" || ext.trim() === "") {
      throw new ScenarioError(
        shortName(file),
        "extends",
        "expected the path of the scenario this one extends, e.g. baseline.yaml",
        undefined,
      );
    }
    from = { file, path: "extends" };
    file = resolve(dirname(file), ext);
  }
}

function checkReformKeys(link: ChainLink): void {
  for (const key of Object.keys(link.document)) {
    if (!(REFORM_KEYS as readonly string[]).includes(key)) {
      throw new ScenarioError(
        shortName(link.file),
        key,
        "unknown key in a scenario that extends another (put changes under 'overrides')",
        didYouMean(key, REFORM_KEYS, "any"),
      );
    }
  }
  const overrides = link.document["overrides"];
  if (overrides !== undefined && overrides !== null && !isRecord(overrides)) {
    throw new ScenarioError(shortName(link.file), "overrides", "expected a map of path: value");
  }
  const sources = link.document["sources"];
  if (
    sources !== undefined &&
    (!Array.isArray(sources) || sources.some((s) => !isRecord(s) || typeof s["url"] !== "string"))
  ) {
    throw new ScenarioError(shortName(link.file), "sources", "expected a list of {about, url}");
  }
}

function readSources(value: unknown): ReformSource[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((s) => ({ about: String(s["about"] ?? ""), url: String(s["url"]) }));
}

function addProfessions(list: TalentList, value: unknown, file: string, shown: string): void {
  if (!Array.isArray(value))
    throw new ScenarioError(file, `overrides.${shown}`, "expected a list of profession keys");
  for (const item of value) {
    const entry = typeof item === "string" ? { key: item, label: item.replaceAll("_", " ") } : item;
    if (!isRecord(entry) || typeof entry["key"] !== "string" || entry["key"] === "") {
      throw new ScenarioError(
        file,
        `overrides.${shown}`,
        "each profession is a key or {key, label}",
        undefined,
      );
    }
    const key = entry["key"];
    if (list.professions.some((p) => p.key === key)) {
      throw new ScenarioError(file, `overrides.${shown}`, `'${key}' is already on ${list.id}`);
    }
    list.professions.push({ key, label: String(entry["label"] ?? key.replaceAll("_", " ")) });
  }
}

function removeProfessions(list: TalentList, value: unknown, file: string, shown: string): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new ScenarioError(file, `overrides.${shown}`, "expected a list of profession keys");
  }
  for (const key of value as string[]) {
    const index = list.professions.findIndex((p) => p.key === key);
    if (index < 0) {
      throw new ScenarioError(
        file,
        `overrides.${shown}`,
        `'${key}' is not on ${list.id}`,
        didYouMean(
          key,
          list.professions.map((p) => p.key),
          "any",
        ),
      );
    }
    list.professions.splice(index, 1);
  }
}

/**
 * A validation error found after a file's overrides were applied, one line per problem: a scenario
 * error keeps its key path (it already names the reform file); rule-book errors go under `overrides`.
 */
function afterOverrides(err: unknown, file: string, context: string, scenarioKeys: boolean): unknown {
  if (!(err instanceof QmasError)) return err;
  const one = (e: QmasError) => {
    if (e instanceof ScenarioError && scenarioKeys)
      return new ScenarioError(file, e.path, `${context}: ${e.reason}`, e.suggestion);
    const what = e instanceof ScenarioError ? `${e.path}: ${e.reason}` : e.format();
    return new ScenarioError(file, "overrides", `${context}: ${what}`);
  };
  if (err instanceof ErrorList) return new ErrorList(err.errors.map(one), err.total);
  return one(err);
}

/** Overrides that come from elsewhere than a file, e.g. one cell of a sweep (`--vary`). */
export interface ExtraOverrides {
  /** shown in errors in place of a file name, e.g. "--vary" */
  label: string;
  /** name of the resolved scenario */
  name: string;
  overrides: Record<string, unknown>;
}

/**
 * Resolve a scenario file: follow `extends`, apply every override (then `extra`, if given), validate
 * what changed.
 */
export function resolveScenarioFile(
  path: string,
  base: ReformBase,
  extra?: ExtraOverrides,
): ResolvedScenario {
  const fileLinks = readScenarioChain(path);
  for (const link of fileLinks.slice(0, -1)) checkReformKeys(link);
  const links = extra
    ? [{ file: extra.label, document: { name: extra.name, overrides: extra.overrides } }, ...fileLinks]
    : fileLinks;
  const root = links[links.length - 1]!;
  const reforms = links.slice(0, -1).reverse(); // root-most reform first

  let scenario = structuredClone(base.parseScenario(root.document, shortName(root.file), false));
  // assigned inside applyOne: the cast keeps TypeScript from narrowing it to null for good
  let rules = null as { ruleSets: RuleSet[]; talentLists: TalentList[] } | null;
  let spec: Record<string, unknown> | null = null;
  const applied: AppliedOverride[] = [];

  for (const link of reforms) {
    const file = shortName(link.file);
    const overrides = (link.document["overrides"] ?? {}) as Record<string, unknown>;
    const specOverrides: Record<string, unknown> = {};
    const applyOne = (path: string, value: unknown): void => {
      let segments: ReturnType<typeof parsePath>;
      try {
        segments = parsePath(path);
      } catch (err) {
        throw toScenarioError(err, file, path);
      }
      const head = segments[0]!;
      const rest = path.slice(path.indexOf(".") + 1);
      if (
        head.kind === "key" &&
        (head.name === "rules" || head.name === "talent_lists") &&
        segments.length > 1
      ) {
        rules ??= structuredClone(base.loadRules());
        if (head.name === "rules") {
          applyOverride(rules.ruleSets, rest, value, file, path);
          return;
        }
        const last = segments[segments.length - 1]!;
        if (segments.length === 3 && last.kind === "key" && (last.name === "add" || last.name === "remove")) {
          const listId = segments[1]!.kind === "key" ? (segments[1] as { name: string }).name : "";
          const list = rules.talentLists.find((l) => l.id === listId);
          if (!list) {
            throw new ScenarioError(
              file,
              `overrides.${path}`,
              `override path does not exist: no Talent List '${listId}'`,
              `talent_lists.${
                didYouMean(
                  listId,
                  rules.talentLists.map((l) => l.id),
                  "any",
                ) ?? ""
              }.${last.name}`,
            );
          }
          if (last.name === "add") addProfessions(list, value, file, path);
          else removeProfessions(list, value, file, path);
          return;
        }
        applyOverride(rules.talentLists, rest, value, file, path);
        return;
      }
      if (head.kind === "key" && head.name === "spec" && segments.length > 1) {
        specOverrides[rest] = value;
        return;
      }
      applyOverride(scenario, path, value, file);
    };
    // every bad override of the file is reported at once, not only the first
    const problems: QmasError[] = [];
    for (const [path, value] of Object.entries(overrides)) {
      applied.push({ file, path, value });
      try {
        applyOne(path, value);
      } catch (err) {
        if (!(err instanceof QmasError)) throw err;
        problems.push(...(err instanceof ErrorList ? err.errors : [err]));
      }
    }
    if (problems.length === 1) throw problems[0];
    if (problems.length > 1) throw new ErrorList(problems);
    // re-validate the scenario after each reform, so an error names the file that caused it
    try {
      scenario = structuredClone(base.parseScenario(scenario, file, true));
    } catch (err) {
      throw afterOverrides(err, file, "after overrides", true);
    }
    if (Object.keys(specOverrides).length > 0) {
      const current = spec ?? base.loadSpec(scenario, file);
      if (current === undefined) {
        throw new ScenarioError(
          file,
          `overrides.spec.${Object.keys(specOverrides)[0]}`,
          "the pool is a CSV file: there is no distribution spec to override",
        );
      }
      spec = base.applySpecOverrides(structuredClone(current), specOverrides, file);
    }
    if (rules) {
      try {
        base.validateRules(rules.ruleSets, rules.talentLists);
      } catch (err) {
        throw afterOverrides(err, file, "rule book invalid after overrides", false);
      }
    }
  }

  const leaf = links[0]!;
  const isReform = links.length > 1;
  const declaredName = leaf.document["name"];
  const name = typeof declaredName === "string" ? declaredName : basename(leaf.file, extname(leaf.file));
  if (isReform) scenario["name"] = name;
  const questionLink = links.find((l) => typeof l.document["question"] === "string");
  const question = (
    isReform ? String(questionLink?.document["question"] ?? "") : String(scenario["description"] ?? "")
  ).trim();
  if (isReform) scenario["description"] = question;
  return {
    name: String(scenario["name"] ?? name),
    chain: fileLinks.map((l) => shortName(l.file)),
    question,
    sources: readSources(links.find((l) => l.document["sources"] !== undefined)?.document["sources"]),
    scenario,
    overrides: applied,
    rules,
    spec,
  };
}
