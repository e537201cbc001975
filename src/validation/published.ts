import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { parseIsoDay } from "../dates.js";
import { ErrorList, SpecError } from "../errors.js";
import { resolveDataDir } from "../paths.js";

/**
 * Published figures (data/published/*.yaml): what QMAS did, as data, each with its period, metric,
 * value, source and confidence mark. `qmas-sim validate` compares a run with every figure its period
 * covers. Other modules may add metrics of their own (they compute them; see figures.ts).
 */
export const FIGURE_METRICS = [
  "applications",
  "assessed",
  "candidates",
  "allotted",
  "allotted_gpt",
  "allotted_apt",
  "allotted_share",
  "backlog",
  "wait_months",
] as const;

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(parseIsoDay(s)), { message: "expected a date YYYY-MM-DD" });

const figureSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and '-'"),
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    metric: z.string().min(1),
    /** for shares: the group, e.g. {region: mainland} or {sector: it_telecom} */
    where: z.object({ region: z.string().optional(), sector: z.string().optional() }).strict().optional(),
    value: z.number().finite(),
    confidence: z.string().min(1),
    source: z.string().min(1),
    note: z.string().optional(),
  })
  .strict();

const fileSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().default(""),
    figures: z.array(figureSchema).min(1),
  })
  .strict();

export type PublishedFigure = z.output<typeof figureSchema> & {
  /** the data file it comes from */
  file: string;
};

/** Read and check one file of published figures. */
export function parsePublishedFigures(raw: unknown, file: string): PublishedFigure[] {
  const r = fileSchema.safeParse(raw);
  if (!r.success) {
    const errors = r.error.issues.map((i) => new SpecError(file, i.path.join("."), i.message));
    if (errors.length === 1) throw errors[0]!;
    throw new ErrorList(errors);
  }
  const seen = new Set<string>();
  return r.data.figures.map((f, i) => {
    if (seen.has(f.id)) throw new SpecError(file, `figures[${i}].id`, `'${f.id}' is used twice`);
    seen.add(f.id);
    if (f.period.to < f.period.from)
      throw new SpecError(file, `figures[${i}].period.to`, `${f.period.to} is before ${f.period.from}`);
    if (f.metric === "allotted_share" && (!f.where || Object.keys(f.where).length !== 1))
      throw new SpecError(
        file,
        `figures[${i}].where`,
        "a share needs one group, e.g. where: {region: mainland}",
      );
    return { ...f, file };
  });
}

/** Every figure of `<dataDir>/published/*.yaml`, files in name order; ids must be unique across files. */
export function loadPublishedFigures(dataDir = "data"): PublishedFigure[] {
  const dir = join(resolveDataDir(dataDir), "published");
  if (!existsSync(dir)) return [];
  const figures: PublishedFigure[] = [];
  const ids = new Map<string, string>();
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(file, "utf8"));
    } catch (err) {
      throw new SpecError(
        file,
        "",
        `not valid YAML: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
      );
    }
    for (const f of parsePublishedFigures(raw, file)) {
      const other = ids.get(f.id);
      if (other !== undefined) throw new SpecError(file, "figures", `id '${f.id}' is also used in ${other}`);
      ids.set(f.id, file);
      figures.push(f);
    }
  }
  return figures;
}
