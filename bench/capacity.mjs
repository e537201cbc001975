// How much two threads of this machine can do compared with one, for two kinds of work: the work run
// on one worker thread, then on two at once (each doing the same amount). Ratio = 2 × (time alone) / (time side by side): 2.0 on two free cores, less where the
// cores are shared, or memory is. The replication loop is measured warm (past the JIT's compilations,
// both threads starting together): the steady state of W3's threads. W3 adds what this leaves out: each
// worker's start, module loading and compilation, and the report written on one thread after the run.
//   node bench/capacity.mjs [replications=200] [warm-up replications=1000]   (after `npm run build`)
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const WARM_REPLICATIONS = Number(workerData?.warm ?? 1000);

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
    // V8 still compiles parts of a replication up to ~900 replications in (--trace-opt): warm up past
    // that, then start together, so the side-by-side figure is two warm loops at once
    for (let i = 0; i < WARM_REPLICATIONS; i++) model(`warm-${i}`);
    const ready = new Int32Array(workerData.ready);
    Atomics.add(ready, 0, 1);
    Atomics.notify(ready, 0);
    // (a minute at most: a thread that failed to warm up must not leave this one waiting for ever)
    const giveUp = Date.now() + 60_000;
    for (
      let seen = Atomics.load(ready, 0);
      seen < workerData.threads && Date.now() < giveUp;
      seen = Atomics.load(ready, 0)
    )
      Atomics.wait(ready, 0, seen, 1000);
    t = performance.now();
    for (let i = 0; i < replications; i++) model(`capacity-${i}`);
  }
  parentPort.postMessage(performance.now() - t);
} else {
  const replications = Number(process.argv[2] ?? 200);
  const warm = Number(process.argv[3] ?? 1000);
  const runOn = (threads, kind) => {
    const ready = new SharedArrayBuffer(4);
    return Promise.all(
      Array.from(
        { length: threads },
        () =>
          new Promise((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), {
              workerData: { kind, replications, warm, ready, threads },
            });
            w.once("message", resolve);
            w.once("error", reject);
          }),
      ),
    );
  };
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
