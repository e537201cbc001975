import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { parseDocument } from "yaml";
import { ErrorList, InputError, SpecError } from "../../errors.js";
import { resolveDataDir } from "../../paths.js";
import { readYamlText, yamlToData } from "../../yaml-file.js";
import { checkSpec, SpecProblems } from "./check.js";
import { type AnyDist, type RawSpec, specSchema } from "./schema.js";

export type {
  AnyDist,
  Calibration,
  CategoricalDist,
  CountDist,
  Curve,
  NumericDist,
  ProbabilityDist,
} from "./schema.js";
export { DEGREE_LEVELS, VARIABLES, type VariableDef } from "./variables.js";

/**
 * A validated distribution spec: how a synthetic applicant pool is drawn (format: the header comment
 * of data/distributions/qmas-2021.yaml and the README section "Synthetic applicant pools").
 * Never changed in place: its compiled samplers are cached by object identity (generate.ts); build a
 * new spec for a variant (applySpecOverrides does).
 */
export interface DistributionSpec extends Omit<RawSpec, "marginals" | "conditionals"> {
  marginals: Record<string, AnyDist>;
  conditionals: Record<string, { given: string; cases: Record<string, AnyDist> }>;
  /** where the spec came from, for error messages (a path, or e.g. "<overrides>") */
  file: string;
}

function throwProblems(problems: SpecProblems): void {
  if (problems.errors.length === 1) throw problems.errors[0]!;
  if (problems.errors.length > 1) throw new ErrorList(problems.errors);
}

/** Validate a parsed YAML document. Throws SpecError (one problem) or ErrorList of SpecErrors. */
export function parseDistributionSpec(raw: unknown, file: string): DistributionSpec {
  const problems = new SpecProblems(file);
  const r = specSchema.safeParse(raw);
  if (!r.success) {
    problems.addZodIssues(specSchema, [], r.error.issues);
    throwProblems(problems);
  }
  const spec = r.data!;
  const checked = checkSpec(problems, spec);
  throwProblems(problems);
  return { ...spec, marginals: checked.marginals, conditionals: checked.conditionals, file };
}

/** The spec without its `file`, as it would be written back to YAML (for overrides and manifests). */
export function specToData(spec: DistributionSpec): Omit<DistributionSpec, "file"> {
  const { file: _file, ...data } = spec;
  return structuredClone(data);
}

export function distributionsDir(dir = "data"): string {
  return join(resolveDataDir(dir), "distributions");
}

/** Ids of the specs in `<dir>/distributions`. */
export function listDistributionSpecs(dir = "data"): string[] {
  const folder = distributionsDir(dir);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => basename(f, ".yaml"))
    .sort();
}

/**
 * Load a spec by id (`qmas-2021` → `<dir>/distributions/qmas-2021.yaml`) or by path (anything with a
 * slash or a .yaml/.yml ending).
 */
export function loadDistributionSpec(idOrPath: string, dir = "data"): DistributionSpec {
  const isPath = idOrPath.includes("/") || idOrPath.includes("\\") || /\.ya?ml$/i.test(idOrPath);
  const file = isPath ? idOrPath : join(distributionsDir(dir), `${idOrPath}.yaml`);
  if (!existsSync(file)) {
    if (isPath) throw new InputError(`distribution spec not found: ${file}`);
    const ids = listDistributionSpecs(dir);
    throw new InputError(
      `unknown distribution spec '${idOrPath}'; available: ${ids.join(", ") || "none"} (or give a path to a .yaml file)`,
    );
  }
  let raw: unknown;
  const fail = (reason: string) => new SpecError(file, "", reason);
  const text = readYamlText(file, fail);
  try {
    const doc = parseDocument(text);
    if (doc.errors[0]) throw doc.errors[0];
    raw = yamlToData(doc, fail);
  } catch (err) {
    if (err instanceof SpecError) throw err;
    throw new SpecError(
      file,
      "",
      `not valid YAML: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
    );
  }
  const spec = parseDistributionSpec(raw, file);
  if (!isPath && spec.id !== idOrPath)
    throw new SpecError(
      file,
      "id",
      `the spec in ${idOrPath}.yaml calls itself '${spec.id}'; ids name their files`,
    );
  return spec;
}
