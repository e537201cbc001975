// Compare the allotted id sets of two decisions.csv files (the pandas peer's and qmas-sim's).
// Prints one JSON line; exit 0 when equal, 1 when not.
import { readFileSync } from "node:fs";

function allotted(file) {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const id = header.indexOf("id");
  const decision = header.indexOf("decision");
  const set = new Set();
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].split(",");
    if (f[decision] === "allotted") set.add(f[id].replace(/^'/, ""));
  }
  return set;
}
const a = allotted(process.argv[2]);
const b = allotted(process.argv[3]);
const onlyA = [...a].filter((x) => !b.has(x));
const onlyB = [...b].filter((x) => !a.has(x));
const equal = onlyA.length === 0 && onlyB.length === 0;
console.log(
  JSON.stringify({
    allotted_a: a.size,
    allotted_b: b.size,
    equal,
    only_a: onlyA.slice(0, 5),
    only_b: onlyB.slice(0, 5),
  }),
);
process.exit(equal ? 0 : 1);
