import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ErrorList, SpecError } from "../../src/errors.js";

/** The YAML of a shipped spec as plain data, to mutate in tests. */
export function rawSpec(
  id: string,
): Record<string, unknown> & { marginals: Record<string, unknown>; conditionals: Record<string, unknown> } {
  return parse(readFileSync(`data/distributions/${id}.yaml`, "utf8"));
}

/** The SpecErrors `fn` throws (a single SpecError or an ErrorList of them); fails if it does not throw. */
export function specErrors(fn: () => unknown): SpecError[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecError) return [err];
    if (err instanceof ErrorList) return err.errors.filter((e): e is SpecError => e instanceof SpecError);
    throw err;
  }
  throw new Error("expected a SpecError");
}
