import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/**
 * Files read in 1 MB pieces rather than whole: an experiment's replications.csv runs to hundreds of MB
 * (24 MB per 1,000 baseline replications), and an applicant CSV to more; reading one whole to hash it
 * held it all in memory at once.
 */
const PIECE = 1 << 20;

/** Hand each piece of the file to `use` until the end or until it returns false. */
function eachPiece(fd: number, buffer: Buffer, use: (piece: Buffer) => boolean): void {
  for (
    let n = readSync(fd, buffer, 0, buffer.length, null);
    n > 0;
    n = readSync(fd, buffer, 0, buffer.length, null)
  ) {
    if (!use(buffer.subarray(0, n))) return;
  }
}

/** The sha256 (hex) of a file's bytes. */
export function sha256File(path: string): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    eachPiece(fd, Buffer.allocUnsafe(PIECE), (piece) => {
      hash.update(piece);
      return true;
    });
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** Whether two files hold the same bytes. */
export function sameFileBytes(a: string, b: string): boolean {
  const fa = openSync(a, "r");
  try {
    const fb = openSync(b, "r");
    try {
      if (fstatSync(fa).size !== fstatSync(fb).size) return false;
      const other = Buffer.allocUnsafe(PIECE);
      let same = true;
      eachPiece(fa, Buffer.allocUnsafe(PIECE), (piece) => {
        // same size, read in step: each read of b fills as much as the read of a did, short reads aside
        let got = 0;
        while (got < piece.length) {
          const n = readSync(fb, other, got, piece.length - got, null);
          if (n === 0) break;
          got += n;
        }
        same = got === piece.length && other.subarray(0, got).equals(piece);
        return same;
      });
      return same;
    } finally {
      closeSync(fb);
    }
  } finally {
    closeSync(fa);
  }
}
