import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sameFileBytes, sha256File } from "../src/file-hash.js";

describe("files read in pieces", () => {
  const dir = mkdtempSync(join(tmpdir(), "qmas-file-hash-"));
  // over 3 pieces of 1 MB, not a multiple of a piece
  const bytes = Buffer.alloc(3 * (1 << 20) + 12_345);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  const write = (name: string, data: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  it("hash a file as its bytes hash whole, empty files included", () => {
    expect(sha256File(write("a.bin", bytes))).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(sha256File(write("empty.bin", new Uint8Array(0)))).toBe(
      createHash("sha256").update("").digest("hex"),
    );
  });

  it("tell equal files from files that differ in one byte, in the last piece, or in length", () => {
    const a = write("a.bin", bytes);
    expect(sameFileBytes(a, write("same.bin", Buffer.from(bytes)))).toBe(true);
    const last = Buffer.from(bytes);
    last[last.length - 1]! ^= 1;
    expect(sameFileBytes(a, write("last.bin", last))).toBe(false);
    const first = Buffer.from(bytes);
    first[0]! ^= 1;
    expect(sameFileBytes(a, write("first.bin", first))).toBe(false);
    expect(sameFileBytes(a, write("short.bin", bytes.subarray(0, bytes.length - 1)))).toBe(false);
    expect(sameFileBytes(write("e1.bin", new Uint8Array(0)), write("e2.bin", new Uint8Array(0)))).toBe(true);
  });
});
