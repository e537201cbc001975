import type { ChancesReportModel } from "../../src/report/html/chances.js";

/** A small chances report model: two scores above a pass mark of 2, two exercises, one cutoff fan. */
export function chancesModel(): ChancesReportModel {
  const curves = [0, 1, 2, 3, 4].flatMap((score) =>
    [1, 2].map((k) => {
      const p = score < 2 ? 0 : (score - 1) * 0.2 * k;
      return { score, k, p, low: p * 0.8, high: Math.min(1, p * 1.1) };
    }),
  );
  return {
    title: "qmas-sim chances: test",
    lede: ["An application made on 2019-01-01.", "Selection is not by score alone <b>really</b>."],
    scoreLabel: "points, test",
    passMark: 2,
    curves,
    apt: [{ k: 1, p: 0.9, low: 0.8, high: 0.9 }],
    cutoffs: [1, 2].flatMap((exercise) =>
      [0.05, 0.25, 0.5, 0.75, 0.95].map((quantile) => ({
        exercise,
        quarter: `2019Q${exercise}`,
        quantile,
        cutoff: 2 + quantile * exercise,
      })),
    ),
    applicant: { heading: "Applicant X", lines: ["Total: 3 / 4", "within 1 exercise: 40 %"] },
    provenance: [["Master seed", "7"]],
    files: ["chances.csv", "cutoffs.csv"],
  };
}
