import { describe, expect, it } from "vitest";
import { adoptInputs, prepareModel, shareInputs } from "../../src/experiments/model.js";
import { resolveScenario } from "../../src/experiments/resolve.js";

describe("inputs shared with worker threads", () => {
  const unit = resolveScenario("scenarios/baseline.yaml", { dataDir: "data" });

  it("carries the data folder's rule book and the unit's spec, and a worker adopting a copy runs the same replications", async () => {
    const shared = shareInputs([unit, unit], "data");
    expect(shared.book?.ruleSets.map((r) => r.id)).toContain("qmas-criteria-2024");
    expect(shared.specs.map(([id]) => id)).toEqual(["qmas-2011"]);
    // as a worker gets it: structured-cloned, under a data folder that does not exist, so a model that
    // read any rule or spec file instead of the adopted copies would fail
    const copy = structuredClone({ ...shared, dataDir: "no-such-data-folder" });
    adoptInputs(copy);
    const fromCopy = await prepareModel(unit, "no-such-data-folder");
    const fromFiles = await prepareModel(unit, "data");
    for (const seed of ["a", "b"]) expect(fromCopy(seed)).toEqual(fromFiles(seed));
  });

  it("leaves out the folder's book when every unit brings its own rules", () => {
    const reform = resolveScenario("scenarios/points-2024-questionnaire.yaml", { dataDir: "data" });
    expect(reform.rules).toBeDefined();
    expect(shareInputs([reform], "data").book).toBeUndefined();
  });
});
