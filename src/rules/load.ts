import { existsSync, readdirSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ErrorList, type QmasError, RuleSetError } from "../errors.js";
import { resolveDataDir } from "../paths.js";
import { readYamlText, yamlToData } from "../yaml-file.js";
import { RuleBook } from "./book.js";
import { checkChain, checkDuplicateIds, checkRuleSet, checkTalentList } from "./check.js";
import { RuleSetSchema, SUGGESTION_MARK, TalentListSchema } from "./schema.js";
import type { RuleSet, TalentList } from "./types.js";

/** Zod issues → RuleSetErrors with a dotted key path (an unknown key is part of its path). */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[], file: string): RuleSetError[] {
  return issues.map((iss) => {
    const path = iss.path.map(String);
    if (iss.code === "unrecognized_keys" && iss.keys[0] !== undefined) path.push(iss.keys[0]);
    const [reason, suggestion] = iss.message.split(SUGGESTION_MARK);
    return new RuleSetError(file, path.join("."), reason ?? iss.message, suggestion);
  });
}

function throwAll(errors: QmasError[]): void {
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new ErrorList(errors);
}

/** Parse a YAML file into plain data; syntax errors name the file and line. */
export function readYamlFile(file: string): unknown {
  const fail = (reason: string) => new RuleSetError(file, "", reason);
  const doc = parseDocument(readYamlText(file, fail), { prettyErrors: true });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0] ? `line ${err.linePos[0].line}` : "";
    throw new RuleSetError(
      file,
      line,
      `YAML syntax: ${err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`,
    );
  }
  return yamlToData(doc, fail);
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => [".yaml", ".yml"].includes(extname(f)))
    .sort()
    .map((f) => join(dir, f));
}

function parseAll<T>(
  files: string[],
  schema: z.ZodType<T>,
  errors: QmasError[],
): { value: T; file: string }[] {
  const out: { value: T; file: string }[] = [];
  for (const file of files) {
    let data: unknown;
    try {
      data = readYamlFile(file);
    } catch (e) {
      if (e instanceof RuleSetError) {
        errors.push(e);
        continue;
      }
      throw e;
    }
    const r = schema.safeParse(data);
    if (r.success) out.push({ value: r.data, file });
    else errors.push(...issuesToErrors(r.error.issues, file));
  }
  return out;
}

/**
 * Read data/rules/*.yaml and data/talent-lists/*.yaml under `dir`, validate them and build the book.
 * Throws RuleSetError (one problem) or ErrorList of RuleSetErrors (several), each naming file, key
 * path and reason.
 */
export function loadRuleBook(dataDir = "data"): RuleBook {
  const dir = resolveDataDir(dataDir);
  const errors: QmasError[] = [];
  const ruleFiles = yamlFiles(join(dir, "rules"));
  if (ruleFiles.length === 0)
    throw new RuleSetError(join(dir, "rules"), "", "no rule-set files (*.yaml) found");
  const ruleSets = parseAll(ruleFiles, RuleSetSchema, errors);
  const lists = parseAll(yamlFiles(join(dir, "talent-lists")), TalentListSchema, errors);
  throwAll(errors);
  return buildBook(
    ruleSets.map((r) => r.value),
    lists.map((l) => l.value),
    ruleSets.map((r) => r.file),
    lists.map((l) => l.file),
  );
}

/**
 * A book from in-memory rule sets and lists (scenario overrides change rule sets as data and rebuild).
 * Runs the same schema and semantic checks as loadRuleBook; `fileNames` name the sources in errors.
 */
export function ruleBookFrom(
  ruleSets: readonly unknown[],
  talentLists: readonly unknown[] = [],
  fileNames?: { ruleSets?: string[]; talentLists?: string[] },
): RuleBook {
  const errors: QmasError[] = [];
  const rsFile = (k: number) => fileNames?.ruleSets?.[k] ?? `rule set #${k + 1}`;
  const tlFile = (k: number) => fileNames?.talentLists?.[k] ?? `talent list #${k + 1}`;
  const rs: RuleSet[] = [];
  ruleSets.forEach((x, k) => {
    const r = RuleSetSchema.safeParse(x);
    if (r.success) rs.push(r.data);
    else errors.push(...issuesToErrors(r.error.issues, rsFile(k)));
  });
  const tl: TalentList[] = [];
  talentLists.forEach((x, k) => {
    const r = TalentListSchema.safeParse(x);
    if (r.success) tl.push(r.data);
    else errors.push(...issuesToErrors(r.error.issues, tlFile(k)));
  });
  throwAll(errors);
  return buildBook(
    rs,
    tl,
    rs.map((_, k) => rsFile(k)),
    tl.map((_, k) => tlFile(k)),
  );
}

function buildBook(
  ruleSets: RuleSet[],
  lists: TalentList[],
  ruleFiles: string[],
  listFiles: string[],
): RuleBook {
  const errors: RuleSetError[] = [];
  if (ruleSets.length === 0) errors.push(new RuleSetError("(rule book)", "", "no rule sets"));
  const fileOfRule = new Map(ruleSets.map((r, k) => [r, ruleFiles[k]!]));
  const fileOfList = new Map(lists.map((l, k) => [l, listFiles[k]!]));
  checkDuplicateIds(ruleSets, (k) => ruleFiles[k]!, "rule set", errors);
  checkDuplicateIds(lists, (k) => listFiles[k]!, "talent list", errors);
  ruleSets.forEach((r, k) => {
    const file = ruleFiles[k]!;
    const stem = basename(file, extname(file));
    if ((file.endsWith(".yaml") || file.endsWith(".yml")) && stem !== r.id) {
      errors.push(new RuleSetError(file, "id", `id '${r.id}' must match the file name '${stem}'`));
    }
  });
  const families = new Set(lists.map((l) => l.list));
  ruleSets.forEach((r, k) => {
    checkRuleSet(r, ruleFiles[k]!, families, errors);
  });
  lists.forEach((l, k) => {
    checkTalentList(l, listFiles[k]!, errors);
  });
  checkChain(ruleSets, (r) => fileOfRule.get(r)!, "rule set", true, errors);
  for (const fam of families) {
    checkChain(
      lists.filter((l) => l.list === fam),
      (l) => fileOfList.get(l)!,
      `'${fam}' list`,
      false,
      errors,
    );
  }
  throwAll(errors);
  return new RuleBook(ruleSets, lists);
}
