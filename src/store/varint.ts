/**
 * Zigzag varints, as the packed columns store them (`bar_hours.closes`, `orders.trace_steps`): a
 * signed integer folded to 0, -1, 1, -2, 2… → 0, 1, 2, 3, 4…, then written 7 bits a byte, low
 * first, the high bit set on every byte but the last. Arithmetic, not bitwise: values pass 2^31.
 * The caller keeps values safe integers once folded (|n| < 2^52). Pure.
 */

/** 0, -1, 1, -2, 2… → 0, 1, 2, 3, 4… */
export function zigzag(n: number): number {
  return n >= 0 ? 2 * n : -2 * n - 1;
}

/** The inverse of {@link zigzag}. */
export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** Appends `z` (a non-negative safe integer) as a varint. */
export function pushVarint(out: number[], z: number): void {
  while (z >= 0x80) {
    out.push((z % 0x80) | 0x80);
    z = Math.floor(z / 0x80);
  }
  out.push(z);
}

/** Reads varints from `bytes` one after another, from `at`. */
export class VarintReader {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
  ) {}

  /** The next varint, or null when the bytes end inside it (a truncated value). */
  next(): number | null {
    let z = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.at];
      if (b === undefined) return null;
      this.at++;
      z += (b & 0x7f) * scale;
      if (b < 0x80) return z;
      scale *= 0x80;
    }
  }
}
