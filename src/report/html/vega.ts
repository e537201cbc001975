import type { TopLevelSpec } from "vega-lite";

/**
 * Shared look of every chart. The font is a generic family so the page loads nothing; in Node, vega
 * estimates text widths without a canvas (renderer "none"), which is close enough for axis layout.
 */
const CHART_CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
  background: "#ffffff",
  view: { stroke: null },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 600,
    grid: true,
    gridColor: "#e6e6e6",
    labelLimit: 260,
  },
  legend: {
    labelFontSize: 11,
    titleFontSize: 12,
    orient: "bottom",
    direction: "horizontal",
    labelLimit: 320,
    titleLimit: 400,
  },
  title: { fontSize: 14, anchor: "start", offset: 10 },
} as const;

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  text?: unknown;
}

/**
 * Text width in pixels for layout without a canvas. Vega's own fallback assumes 0.8 em per character,
 * which is far wider than any sans-serif: labels get cut with "…" and axes reserve too much room.
 * Per-character classes of a typical sans-serif (DejaVu Sans / Helvetica) err slightly wide, so text
 * never overlaps in a browser.
 */
export function estimateTextWidth(item: TextItem, text?: unknown): number {
  const s = text === undefined || text === null ? String(item.text ?? "") : String(text);
  const size = typeof item.fontSize === "number" ? item.fontSize : 11;
  const bold =
    item.fontWeight === "bold" ||
    (typeof item.fontWeight === "number" && item.fontWeight >= 600) ||
    item.fontWeight === "600";
  let em = 0;
  for (const ch of s) {
    if ("il.,:;|!'`".includes(ch)) em += 0.3;
    else if ("fjrtI()[] -".includes(ch)) em += 0.38;
    else if ("MWmw%@".includes(ch)) em += 0.88;
    else if (ch >= "0" && ch <= "9") em += 0.62;
    else if (ch >= "A" && ch <= "Z") em += 0.7;
    else em += 0.58;
  }
  return Math.ceil(em * size * (bold ? 1.08 : 1));
}

interface Charting {
  vega: typeof import("vega");
  compile: typeof import("vega-lite").compile;
}
let charting: Promise<Charting> | null = null;

/**
 * vega and vega-lite, loaded on the first chart: together they take ≈0.2 s to import, which every
 * command and library user paid at start-up, charts or not.
 */
function loadCharting(): Promise<Charting> {
  charting ??= Promise.all([import("vega"), import("vega-lite")]).then(
    ([vega, vegaLite]) => {
      // vega exports its text-measuring hook at runtime (vega-scenegraph's textMetrics) but not in its types
      const metrics = (
        vega as unknown as { textMetrics?: { width: (item: TextItem, text?: unknown) => number } }
      ).textMetrics;
      if (metrics) metrics.width = estimateTextWidth;
      return { vega, compile: vegaLite.compile };
    },
    (err: unknown) => {
      // a failed load (too many open files, say) is tried again by the next chart
      charting = null;
      throw err;
    },
  );
  return charting;
}

/** The chart being rendered: renders run one at a time (see renderVegaLiteSvg). */
let rendering: Promise<unknown> = Promise.resolve();

/**
 * Compile a Vega-Lite spec and render it to an SVG string in Node, without a browser.
 * The SVG is made ready to inline in HTML: namespace declarations are dropped (the HTML parser puts
 * inline <svg> in the SVG namespace) so the page contains no URL it does not need, and it scales to
 * its container.
 */
export function renderVegaLiteSvg(
  spec: TopLevelSpec,
  description: string,
  idPrefix: string,
): Promise<string> {
  // vega numbers gradients and clip paths with one counter per process, reset for each chart: two
  // charts rendered at once (two reports written concurrently) would share it and change each
  // other's bytes, so each waits for the one before
  const run = rendering.then(() => renderOne(spec, description, idPrefix));
  rendering = run.catch(() => {});
  return run;
}

async function renderOne(spec: TopLevelSpec, description: string, idPrefix: string): Promise<string> {
  const { vega, compile } = await loadCharting();
  const withConfig = {
    ...spec,
    description,
    config: { ...CHART_CONFIG, ...(spec.config ?? {}) },
  } as TopLevelSpec;
  const vgSpec = compile(withConfig).spec;
  // gradient and clip ids count up per process; restart them so the same chart is the same bytes
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    return prefixIds(inlineableSvg(svg), idPrefix);
  } finally {
    view.finalize();
  }
}

function inlineableSvg(svg: string): string {
  return svg.replace(/^<svg\b([^>]*)>/, (_whole, attrs: string) => {
    const kept = attrs.replace(/\s+xmlns(:xlink)?="[^"]*"/g, "").replace(/\s+version="[^"]*"/, "");
    return `<svg${kept} style="max-width:100%;height:auto">`;
  });
}

/**
 * Vega numbers its gradients and clip paths from 0 in every chart ("gradient_0", "clip1"); inline in
 * one page those ids would collide and a chart would borrow another's gradient. Prefix them per chart.
 */
function prefixIds(svg: string, prefix: string): string {
  const safe = prefix.replace(/[^A-Za-z0-9_-]/g, "_");
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${safe}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${safe}-${id})`)
    .replace(
      /\b(xlink:)?href="#([^"]+)"/g,
      (_m, x: string | undefined, id: string) => `${x ?? ""}href="#${safe}-${id}"`,
    );
}
