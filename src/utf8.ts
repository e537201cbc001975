import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";

/**
 * Invalid UTF-8 in an applicant CSV. Node decodes bad bytes to U+FFFD without a word, so a name or a
 * key would silently change; instead each chunk is checked as it is read (isUtf8 is native and fast,
 * and only a chunk that fails is walked byte by byte) and each bad byte is kept with its file offset
 * and the line it is on. The reader turns them into row errors: `file:line: (row): invalid UTF-8 at
 * byte N`. Line numbers count line breaks as the reader does: LF, CRLF (once) and a lone CR.
 */
export interface BadByte {
  offset: number;
  line: number;
}

/** Offsets of the first byte of each invalid sequence in buf[0, end); `carry` = start of an unfinished one. */
export function invalidUtf8(buf: Buffer, final: boolean): { offsets: number[]; carry: number } {
  const offsets: number[] = [];
  const end = buf.length;
  let i = 0;
  while (i < end) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b === 0xe0) {
      need = 2;
      lo = 0xa0;
    } else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) need = 2;
    else if (b === 0xed) {
      need = 2;
      hi = 0x9f;
    } else if (b === 0xf0) {
      need = 3;
      lo = 0x90;
    } else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else if (b === 0xf4) {
      need = 3;
      hi = 0x8f;
    } else {
      offsets.push(i);
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need; j++) {
      if (i + j >= end) {
        if (!final) return { offsets, carry: i };
        break;
      }
      const c = buf[i + j]!;
      if (c < (j === 1 ? lo : 0x80) || c > (j === 1 ? hi : 0xbf)) break;
    }
    if (j <= need) {
      offsets.push(i);
      i += j; // the bytes that began a valid sequence go with it
    } else i += need + 1;
  }
  return { offsets, carry: end };
}

/** Counts line breaks of a file from its start, reading it again (only done when a bad byte is met). */
class LineCounter {
  private offset = 0;
  private line = 1;
  private lastWasCr = false;
  private readonly piece = Buffer.allocUnsafe(1 << 20);

  constructor(private readonly file: string) {}

  private fd: number | undefined;

  /** The line of the byte at `target` (targets are asked for in increasing order). */
  lineAt(target: number): number {
    this.fd ??= openSync(this.file, "r");
    const fd = this.fd;
    while (this.offset < target) {
      const n = readSync(fd, this.piece, 0, Math.min(this.piece.length, target - this.offset), this.offset);
      if (n <= 0) break;
      for (let k = 0; k < n; k++) {
        const c = this.piece[k]!;
        if (c === 10) {
          if (!this.lastWasCr) this.line++;
          this.lastWasCr = false;
        } else if (c === 13) {
          this.line++;
          this.lastWasCr = true;
        } else this.lastWasCr = false;
      }
      this.offset += n;
    }
    return this.line;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Checks each chunk of a file before it is split into records. */
export class Utf8Check {
  private readonly pending: BadByte[] = [];
  /** bad bytes before this index have been taken */
  private next = 0;
  private carry: Buffer | undefined;
  /** file offset of the first byte of the next chunk */
  private offset = 0;
  private skip = false;
  /** the first bytes, until there are two */
  private head: Buffer | undefined = Buffer.alloc(0);
  private counter: LineCounter | undefined;

  constructor(private readonly file: string) {}

  write(chunk: Buffer): void {
    if (this.head !== undefined) {
      // the first two bytes decide: UTF-16 files (with their byte order mark) are csv-parse's to decode
      const head: Buffer = Buffer.concat([this.head, chunk]);
      if (head.length < 2) {
        this.head = head;
        return;
      }
      this.head = undefined;
      this.skip = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
      chunk = head;
    }
    if (this.skip) return;
    this.check(this.carry ? Buffer.concat([this.carry, chunk]) : chunk, false);
  }

  end(): void {
    if (this.head !== undefined) {
      const head = this.head;
      this.head = undefined;
      this.check(head, true);
      return;
    }
    if (!this.skip && this.carry) this.check(this.carry, true);
  }

  /** Stop reading the file again for line numbers. */
  close(): void {
    this.counter?.close();
  }

  private check(buf: Buffer, final: boolean): void {
    const start = this.offset;
    this.carry = undefined;
    // a character cut by the end of the chunk is finished by the next one
    const cut = final ? buf.length : completeLength(buf);
    if (isUtf8(buf.subarray(0, cut))) {
      if (cut < buf.length) this.carry = Buffer.from(buf.subarray(cut));
      this.offset = start + cut;
      return;
    }
    const { offsets, carry } = invalidUtf8(buf, final);
    this.counter ??= new LineCounter(this.file);
    for (const o of offsets) this.pending.push({ offset: start + o, line: this.counter.lineAt(start + o) });
    if (carry < buf.length) this.carry = Buffer.from(buf.subarray(carry));
    this.offset = start + carry;
  }

  /** The first bad byte on lines [line, line + lines), dropping every bad byte before them. */
  takeOn(line: number, lines: number): BadByte | undefined {
    const pending = this.pending;
    let found: BadByte | undefined;
    while (this.next < pending.length && pending[this.next]!.line < line + lines) {
      const bad = pending[this.next++]!;
      if (bad.line >= line) found ??= bad;
    }
    if (this.next === pending.length && this.next > 0) {
      pending.length = 0;
      this.next = 0;
    }
    return found;
  }
}

/** Length of buf without an unfinished multi-byte character at its end. */
function completeLength(buf: Buffer): number {
  let k = buf.length - 1;
  let back = 0;
  while (k >= 0 && back < 3 && (buf[k]! & 0xc0) === 0x80) {
    k--;
    back++;
  }
  if (k < 0) return buf.length;
  const b = buf[k]!;
  const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return b >= 0xc0 && buf.length - k < length ? k : buf.length;
}
