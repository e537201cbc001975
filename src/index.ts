/** qmas-sim: the library API. The CLI (src/cli) is a thin layer over these exports. */
export * from "./errors.js";
export * from "./dates.js";
export * from "./applicants/record.js";
export * from "./applicants/pool.js";
export * from "./rules/types.js";
