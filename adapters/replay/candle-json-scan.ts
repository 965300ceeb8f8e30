import { Buffer } from 'node:buffer';
/**
 * A direct reader of the usual JSON candle file, `[[ts,o,h,l,c,v],...]` with six plain numbers a
 * row: it reads the numbers straight from the text, without the array per row (and the garbage)
 * that `JSON.parse` makes. Anything else (strings, nulls, rows of another length, any text that
 * is not valid JSON) is left to `JSON.parse` and its error messages: the reader then answers null.
 *
 * Every number is the double `JSON.parse` gives for the same text. A number of at most 15
 * significant digits and at most 22 decimals (every real price, size and timestamp) is its digits
 * as an integer divided by a power of ten: both are exact doubles, and IEEE division rounds the
 * exact quotient correctly, as `JSON.parse` does. Any other number goes through `Number()`, the
 * same correctly rounded conversion.
 */

/** Powers of ten held exactly by a double (10^22 is the last). */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Numbers whose digits, read as an integer, stay below this (15 digits) are read exactly. */
const MAX_EXACT = 1e15;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Column count of a candle row. */
export const CANDLE_FIELDS = 6;

/** What {@link Scanner.peek} answers past the end of the text. */
const END = -1;

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Cursor over the text's bytes; `value` holds the last number read. */
class Scanner {
  pos = 0;
  value = 0;
  private readonly end: number;

  constructor(private readonly bytes: Uint8Array) {
    this.end = bytes.length;
  }

  /** The byte at `i`, {@link END} past the end. */
  at(i: number): number {
    return i < this.end ? this.bytes[i]! : END;
  }

  /** Skips JSON whitespace; returns the next byte, {@link END} at the end. */
  peek(): number {
    let c = this.at(this.pos);
    while (isSpace(c)) c = this.at(++this.pos);
    return c;
  }

  /** Reads one JSON number at `pos` into `value`; false when the text there is not one. */
  number(): boolean {
    const start = this.pos;
    let i = start;
    let c = this.at(i);
    const negative = c === MINUS;
    if (negative) c = this.at(++i);
    if (!isDigit(c)) return false;
    // JSON forbids leading zeros: "0" alone, or "0." / "0e".
    const leadingZero = c === ZERO;
    // Digits accumulate exactly while below 2^53; past it the mantissa only grows, so the
    // MAX_EXACT test below sends any such number to Number().
    let mantissa = 0;
    while (isDigit(c)) {
      mantissa = mantissa * 10 + (c - ZERO);
      c = this.at(++i);
    }
    if (leadingZero && i - start - (negative ? 1 : 0) > 1) return false;
    let decimals = 0;
    if (c === DOT) {
      c = this.at(++i);
      if (!isDigit(c)) return false;
      while (isDigit(c)) {
        mantissa = mantissa * 10 + (c - ZERO);
        decimals++;
        c = this.at(++i);
      }
    }
    let exact = true;
    if (c === 0x65 || c === 0x45) {
      // An exponent: valid JSON, but rare in candle files; Number() reads it.
      exact = false;
      c = this.at(++i);
      if (c === 0x2b || c === MINUS) c = this.at(++i);
      if (!isDigit(c)) return false;
      while (isDigit(c)) c = this.at(++i);
    }
    this.pos = i;
    if (exact && mantissa < MAX_EXACT && decimals <= 22) {
      const v = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
      this.value = negative ? -v : v;
    } else {
      this.value = Number(String.fromCharCode(...this.bytes.subarray(start, i)));
    }
    return true;
  }
}

/**
 * The rows of a JSON candle file of plain six-number rows, flattened (six numbers a row, in
 * order), or null when the text is anything else (then `JSON.parse` decides and reports).
 * Reads the file's bytes as they are (the grammar it accepts is ASCII: any other byte answers
 * null), so the usual file needs no decoding to a string; a string is read as its UTF-8 bytes.
 */
export function scanJsonCandleRows(text: string | Uint8Array): Float64Array | null {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const s = new Scanner(bytes);
  // A row of a real file takes about 60 characters; the array grows if rows are shorter.
  let out = new Float64Array(CANDLE_FIELDS * (Math.ceil(bytes.length / 48) + 1));
  let n = 0;
  if (s.peek() !== OPEN) return null;
  s.pos++;
  if (s.peek() === CLOSE) {
    s.pos++;
    return s.peek() === END ? out.subarray(0, 0) : null;
  }
  for (;;) {
    if (n + CANDLE_FIELDS > out.length) {
      const grown = new Float64Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    if (s.peek() !== OPEN) return null;
    s.pos++;
    for (let k = 0; k < CANDLE_FIELDS; k++) {
      if (k > 0) {
        if (s.peek() !== COMMA) return null;
        s.pos++;
      }
      s.peek();
      if (!s.number()) return null;
      out[n++] = s.value;
    }
    if (s.peek() !== CLOSE) return null;
    s.pos++;
    const c = s.peek();
    s.pos++;
    if (c === COMMA) continue;
    if (c !== CLOSE) return null;
    return s.peek() === END ? out.subarray(0, n) : null;
  }
}
