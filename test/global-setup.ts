import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Every temporary folder of the suite goes under one folder made here and removed at the end:
 * tests make theirs with mkdtemp(tmpdir()), and os.tmpdir() follows TMPDIR, which test workers and
 * the command-line processes they start inherit. A run used to leave ~40 folders (55 MB) behind.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "qmas-test-"));
  const previous = process.env["TMPDIR"];
  process.env["TMPDIR"] = root;
  return () => {
    if (previous === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
