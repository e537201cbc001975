import { describe, expect, it } from "vitest";
import { renderChancesReport } from "../../src/report/html/chances.js";
import { chancesModel } from "./fixtures.js";

describe("chances report.html", () => {
  it("draws the probability curves and the cutoff fan, lists every passing score, escapes text", async () => {
    const html = await renderChancesReport(chancesModel());
    expect(html.match(/<figure id="chart-(chances|cutoffs)"/g)).toEqual([
      '<figure id="chart-chances"',
      '<figure id="chart-cutoffs"',
    ]);
    expect(html.match(/<svg/g)).toHaveLength(2);
    // the scores from the pass mark up, each with its interval under the value
    expect(html).toContain(
      '<th scope="row" class="num">2</th><td class="num">20 %<span class="sub">16 %–22 %</span>',
    );
    expect(html).not.toContain('<th scope="row" class="num">1</th>');
    expect(html).toContain("&lt;b&gt;really&lt;/b&gt;");
    expect(html).toContain("<pre>Total: 3 / 4\nwithin 1 exercise: 40 %</pre>");
    expect(html).toContain("within 1: 90 % (80 %–90 %)");
    expect(html).not.toMatch(/\s(src|href)="https?:/);
    expect(await renderChancesReport(chancesModel())).toBe(html);
  });

  it("leaves the fan chart out when no exercise allotted anyone", async () => {
    const html = await renderChancesReport({
      ...chancesModel(),
      cutoffs: [{ exercise: 1, quarter: "2019Q1", quantile: 0.5, cutoff: null }],
    });
    expect(html).not.toContain("chart-cutoffs");
  });
});
