import { InputError, QmasError } from "../errors.js";

/**
 * Bad command-line usage: a flag's value that does not make sense here. The CLI's own error; the
 * library reports the same kind of problem as an InputError naming its option.
 */
export class UsageError extends QmasError {
  override readonly name = "UsageError";
  readonly kind = "usage";
  format(): string {
    return this.message;
  }
}

/** The command-line flag of each library option that has one. */
const FLAGS: Readonly<Record<string, string>> = {
  from: "--from",
  to: "--to",
  vary: "--vary",
  replications: "--replications",
  outDir: "--out",
  shard: "--shard",
};

/** The line the CLI prints for a typed error: an option at fault is named by its flag. */
export function cliMessage(err: QmasError): string {
  if (err instanceof InputError && err.option !== undefined) {
    const flag = FLAGS[err.option];
    if (flag !== undefined) return `${flag}${err.reason.startsWith(":") ? "" : " "}${err.reason}`;
  }
  return err.format();
}
