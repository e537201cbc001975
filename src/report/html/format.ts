import type { Interval } from "./models.js";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Shown where a value does not apply (no cutoff, unlimited quota, no CI). */
export const NOT_APPLICABLE = "–";

/**
 * A number for people: thousands separators, at most `digits` decimals, trailing zeros dropped.
 * Fixed to en-US grouping so reports are the same bytes whatever the machine's locale.
 */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NOT_APPLICABLE;
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const rounded = Number(value.toFixed(digits));
  const text = rounded.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  // a typographic minus reads better in tables; "-0" after rounding is just 0
  return rounded === 0 ? "0" : text.replace(/^-/, "−");
}

/** A signed difference: "+12", "−3.5", "0". */
export function formatSigned(value: number | null | undefined, digits = 1): string {
  const text = formatNumber(value, digits);
  if (value === null || value === undefined || Number.isNaN(value)) return text;
  return Number(value.toFixed(digits)) > 0 ? `+${text}` : text;
}

export function formatInterval(ci: Interval | null | undefined, digits = 1): string {
  if (!ci) return NOT_APPLICABLE;
  return `${formatNumber(ci.lo, digits)} to ${formatNumber(ci.hi, digits)}`;
}

/** A share 0–1 as a percentage with one decimal: "12.5 %". */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || Number.isNaN(share)) return NOT_APPLICABLE;
  return `${formatNumber(share * 100, 1)} %`;
}

/** Share of `part` in `whole`, null when the whole is 0. */
export function shareOf(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
