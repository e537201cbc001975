/** Synthetic applicant pools: distribution specs (load, override) and the seeded generator. */

export {
  BLOCK_SIZE,
  GENERATOR_ALGORITHM,
  type GenerateOptions,
  generatePool,
  specPeriod,
} from "./generate.js";
export { applySpecOverrides, parseKeyPath, type SpecOverrides } from "./overrides.js";
export * from "./spec.js";
