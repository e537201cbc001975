import cliProgress from "cli-progress";
import { stderrIsTty } from "./common.js";

/**
 * A progress bar for long work on stderr: replications (or quarters) done of the total, elapsed and time
 * left. Shown only when stderr is a terminal and --quiet is not given, so pipes and CI logs stay clean.
 */
export interface Progress {
  update: (done: number, total: number) => void;
  stop: () => void;
}

export function startProgress(label: string, opts: { quiet?: boolean; unit?: string } = {}): Progress {
  if (opts.quiet || !stderrIsTty()) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} ${opts.unit ?? "replications"} | {duration_formatted} elapsed | {eta_formatted} left`,
      etaBuffer: 50,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
