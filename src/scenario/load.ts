import { parseDocument } from "yaml";
import { ScenarioError } from "../errors.js";
import { readYamlText, yamlToData } from "../yaml-file.js";
import type { Scenario } from "./schema.js";
import { validateScenario } from "./validate.js";

/**
 * Turns a raw scenario that `extends` another into a full one (owned by the experiments module,
 * src/scenario/extends.ts). It receives the parsed YAML and its file and returns an object without
 * `extends`, which is then validated here.
 */
export type ExtendsResolver = (raw: Record<string, unknown>, file: string) => Record<string, unknown>;

/** Parse a scenario YAML file into a plain object (no validation). */
export function readScenarioYaml(file: string): Record<string, unknown> {
  const fail = (reason: string) => new ScenarioError(file, "", reason);
  const text = readYamlText(file, fail);
  let doc: unknown;
  try {
    const parsed = parseDocument(text);
    if (parsed.errors[0]) throw parsed.errors[0];
    doc = yamlToData(parsed, fail);
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    throw new ScenarioError(file, "", `not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new ScenarioError(file, "", "expected a mapping of keys (name, pool, quota, ...)");
  }
  return doc as Record<string, unknown>;
}

/** Read, resolve `extends` (when a resolver is given) and validate a scenario file. */
export function loadScenario(file: string, opts: { resolveExtends?: ExtendsResolver } = {}): Scenario {
  let raw = readScenarioYaml(file);
  if ("extends" in raw) {
    if (!opts.resolveExtends) {
      throw new ScenarioError(file, "extends", "this command cannot resolve 'extends'; pass a full scenario");
    }
    raw = opts.resolveExtends(raw, file);
  }
  return validateScenario(raw, file);
}
