// How much two threads of this machine can do compared with one, for two kinds of work, measured the
// same way for both: the work run on one worker thread, then on two at once (each doing the same
// amount). Ratio = 2 × (time alone) / (time side by side): 2.0 on two free cores, less where the
// cores are shared, or memory is. W3's target (≥ 1.7×) is out of reach where the "replication" ratio
// is below it: W3 is the same replication loop spread over workers.
//   node bench/capacity.mjs [replications=200]   (after `npm run build`)
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

if (!isMainThread) {
  const { kind, replications } = workerData;
  let t;
  if (kind === "arithmetic") {
    t = performance.now();
    let x = 0;
    for (let i = 0; i < 400_000_000; i++) x = (x + Math.imul(i, 2654435761)) | 0;
    if (x === 42) console.log("");
  } else {
    const { prepareModel } = await import("../dist/experiments/model.js");
    const { resolveScenario } = await import("../dist/experiments/resolve.js");
    const model = await prepareModel(resolveScenario("scenarios/baseline.yaml"), "data");
    // a replication loop takes ~100 replications to reach full speed (JIT tiers): warm up past that
    for (let i = 0; i < 100; i++) model(`warm-${i}`);
    t = performance.now();
    for (let i = 0; i < replications; i++) model(`capacity-${i}`);
  }
  parentPort.postMessage(performance.now() - t);
} else {
  const replications = Number(process.argv[2] ?? 200);
  const runOn = (threads, kind) =>
    Promise.all(
      Array.from(
        { length: threads },
        () =>
          new Promise((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), { workerData: { kind, replications } });
            w.once("message", resolve);
            w.once("error", reject);
          }),
      ),
    );
  const out = { workload: "CAPACITY", cores: availableParallelism() };
  for (const kind of ["arithmetic", "replication"]) {
    const [alone] = await runOn(1, kind);
    const both = await runOn(2, kind);
    const side = Math.max(...both);
    out[`${kind}_alone_s`] = +(alone / 1000).toFixed(2);
    out[`${kind}_side_by_side_s`] = +(side / 1000).toFixed(2);
    out[`${kind}_two_thread_ratio`] = +((2 * alone) / side).toFixed(2);
  }
  console.log(JSON.stringify(out));
}
