// Run a command and return its wall time and peak RSS. Peak memory of a child process is read with
// python3's getrusage(RUSAGE_CHILDREN), which every machine here has; no /usr/bin/time needed.
import { spawnSync } from "node:child_process";

const PY = `
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stdout.buffer.write(r.stdout)
sys.stderr.buffer.write(r.stderr)
print("\\n@@MEASURE@@" + json.dumps({"code": r.returncode, "wall_s": wall, "peak_rss_mb": round(rss_kb / 1024)}))
`;

/** @returns {{code:number, wall_s:number, peak_rss_mb:number, stdout:string, stderr:string}} */
export function measure(cmd, args, opts = {}) {
  const r = spawnSync("python3", ["-c", PY, cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 28, ...opts });
  const out = r.stdout ?? "";
  const at = out.lastIndexOf("@@MEASURE@@");
  if (at < 0) throw new Error(`measure failed for ${cmd} ${args.join(" ")}: ${r.stderr}`);
  const m = JSON.parse(out.slice(at + 11));
  return { ...m, stdout: out.slice(0, at).replace(/\n$/, ""), stderr: r.stderr ?? "" };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? Number.NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Last line of stdout that parses as JSON (the workload scripts print one JSON line of figures). */
export function lastJson(text) {
  const lines = text.trim().split("\n").reverse();
  for (const l of lines) {
    try {
      return JSON.parse(l);
    } catch {}
  }
  return null;
}
