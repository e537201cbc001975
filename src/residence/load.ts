import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ErrorList, QmasError } from "../errors.js";
import { resolveDataDir } from "../paths.js";
import { type ResidenceData, residenceDataSchema } from "./schema.js";

/** A residence data file failed to load or validate: `file: key.path: reason`. */
export class ResidenceDataError extends QmasError {
  override readonly name = "ResidenceDataError";
  readonly kind = "residence-data";
  constructor(
    readonly file: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${file}: ${path === "" ? "(top level)" : path}: ${reason}`);
  }
  format(): string {
    return this.message;
  }
}

/** A residence data file as loaded: its content and where it came from. */
export interface LoadedResidenceData {
  data: ResidenceData;
  file: string;
}

/** The file of a residence data id (data/residence/<id>.yaml) or of a path given as such. */
export function residenceDataFile(idOrPath: string, dataDir = "data"): string {
  if (/[/\\]/.test(idOrPath) || /\.ya?ml$/.test(idOrPath)) return idOrPath;
  return join(resolveDataDir(dataDir), "residence", `${idOrPath}.yaml`);
}

function issueErrors(issues: readonly z.core.$ZodIssue[], file: string): ResidenceDataError[] {
  return issues.map((iss) => {
    const path = iss.path.map(String);
    if (iss.code === "unrecognized_keys" && iss.keys[0] !== undefined) path.push(iss.keys[0]);
    return new ResidenceDataError(file, path.join("."), iss.message);
  });
}

/** Validate residence data already read (e.g. from a test); errors name `file` and the key path. */
export function parseResidenceData(raw: unknown, file: string): ResidenceData {
  const r = residenceDataSchema.safeParse(raw);
  if (r.success) return r.data;
  const errors = issueErrors(r.error.issues, file);
  if (errors.length === 1) throw errors[0]!;
  throw new ErrorList(errors);
}

/** Read and validate a residence data file by id or path. */
export function loadResidenceData(idOrPath: string, dataDir = "data"): LoadedResidenceData {
  const file = residenceDataFile(idOrPath, dataDir);
  if (!existsSync(file)) throw new ResidenceDataError(file, "", "no such residence data file");
  const doc = parseDocument(readFileSync(file, "utf8"), { prettyErrors: true });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0] ? `line ${err.linePos[0].line}` : "";
    throw new ResidenceDataError(file, line, `YAML syntax: ${err.message.split("\n")[0]}`);
  }
  return { data: parseResidenceData(doc.toJS(), file), file };
}
