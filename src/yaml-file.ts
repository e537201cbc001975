import { isUtf8 } from "node:buffer";
import { readFileSync, statSync } from "node:fs";
import type { Document } from "yaml";
import type { QmasError } from "./errors.js";
import { formatCount, LIMITS } from "./limits.js";
import { invalidUtf8 } from "./utf8.js";

/**
 * Reading a YAML data file within limits: a regular file (a FIFO would block for ever) of at most
 * LIMITS.yamlBytes, aliases expanded at most LIMITS.yamlAliases times. Problems go through `fail`,
 * which makes the caller's typed error (ScenarioError, RuleSetError, SpecError) naming the file.
 */
export type YamlFailure = (reason: string) => QmasError;

/** The file's text; `fail` for a missing, special or too large file. */
export function readYamlText(file: string, fail: YamlFailure): string {
  let size: number;
  try {
    const s = statSync(file);
    if (!s.isFile()) throw fail("not a regular file");
    size = s.size;
  } catch (err) {
    if ((err as { code?: unknown }).code === undefined) throw err;
    throw fail(`cannot read the file (${String((err as { code?: unknown }).code)})`);
  }
  if (size > LIMITS.yamlBytes)
    throw fail(
      `the file is ${formatCount(size)} bytes, above the limit of ${formatCount(LIMITS.yamlBytes)} bytes for a YAML file`,
    );
  const bytes = readFileSync(file);
  // decoding would turn bad bytes into U+FFFD without a word (a key or an id silently changed)
  if (!isUtf8(bytes)) {
    const offset = invalidUtf8(bytes, true).offsets[0] ?? 0;
    throw fail(`invalid UTF-8 at byte ${offset}; save the file as UTF-8`);
  }
  return bytes.toString("utf8");
}

/** A parsed document as plain data, refusing an alias bomb with a clean error instead of a crash. */
export function yamlToData(doc: Document, fail: YamlFailure): unknown {
  try {
    return doc.toJS({ maxAliasCount: LIMITS.yamlAliases });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message))
      throw fail(
        `more than ${LIMITS.yamlAliases} alias expansions (*name): refused as a possible resource exhaustion ("alias bomb")`,
      );
    throw err;
  }
}
