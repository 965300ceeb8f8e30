/**
 * A fast path from a Coinbase `l2_data` frame's text to its parsed levels, without building the
 * JSON tree: level2 frames are most of the stream, and `JSON.parse` of each was the largest cost
 * from the wire to the book.
 *
 * It reads only the exact text Coinbase sends: its keys in its order, no whitespace, strings
 * without escapes or quotes, an integer `sequence_num` (one regular expression checks the whole
 * frame, then the values are read between their known delimiters). For anything else it answers
 * null, and the caller parses the frame with `JSON.parse` and the general path, which keeps every
 * rule for odd frames (a malformed level, a frame without a sequence number, another channel).
 * When it answers, its answer is the one the general path would give for the same frame.
 */
import type { LevelUpdate, ParsedL2Event, StreamSymbols } from './coinbase-book.js';

export interface ScannedL2Frame {
  readonly seq: number;
  readonly events: ParsedL2Event[];
}

/** A JSON string with no escape, quote or control character: its text is its value. */
const S = '"[^"\\\\\\x00-\\x1f]*"';
const LEVEL = `\\{"side":"(?:bid|offer|ask)","event_time":${S},"price_level":${S},"new_quantity":${S}\\}`;
const EVENT = `\\{"type":"(?:snapshot|update)","product_id":${S},"updates":\\[(?:${LEVEL}(?:,${LEVEL})*)?\\]\\}`;
const FRAME = new RegExp(`^\\{"channel":"l2_data","client_id":${S},"timestamp":${S},"sequence_num":(0|[1-9][0-9]{0,14}),"events":\\[(?:${EVENT}(?:,${EVENT})*)?\\]\\}$`);

/**
 * The frame's sequence number and its events on our products, exactly as the general path would
 * parse them; null when the frame is not an `l2_data` frame of the usual text, or holds a level the
 * general path refuses (which then decides what that means).
 */
export function scanL2Frame(text: string, symbols: StreamSymbols): ScannedL2Frame | null {
  const m = FRAME.exec(text);
  if (m === null) return null;
  const events: ParsedL2Event[] = [];
  // The expression has checked every token: each value below sits between delimiters that no
  // string can contain (a quote), so plain searches find them.
  let pos = text.indexOf('"events":[') + 10;
  while (text.charCodeAt(pos) === 123) {
    const typeAt = pos + 9; // {"type":"
    const typeEnd = text.indexOf('"', typeAt);
    const productAt = typeEnd + 16; // ","product_id":"
    const productEnd = text.indexOf('"', productAt);
    pos = productEnd + 13; // ","updates":[
    const mapped = symbols.symbolOf(text.slice(productAt, productEnd));
    const updates: LevelUpdate[] = [];
    while (text.charCodeAt(pos) === 123) {
      const sideAt = pos + 9; // {"side":"
      const bid = text.charCodeAt(sideAt) === 98;
      const priceAt = text.indexOf('"price_level":"', sideAt) + 15;
      const priceEnd = text.indexOf('"', priceAt);
      const qtyAt = priceEnd + 18; // ","new_quantity":"
      const qtyEnd = text.indexOf('"', qtyAt);
      if (mapped !== null) {
        const price = Number(text.slice(priceAt, priceEnd));
        const size = Number(text.slice(qtyAt, qtyEnd));
        // positive() and nonNeg()'s rules: anything else goes to the general path.
        if (!(price > 0 && price < Infinity && size >= 0 && size < Infinity) || priceAt === priceEnd || qtyAt === qtyEnd || blank(text, priceAt, priceEnd) || blank(text, qtyAt, qtyEnd)) return null;
        updates.push({ side: bid ? 'bid' : 'ask', price, size });
      }
      pos = qtyEnd + 2; // "}
      if (text.charCodeAt(pos) === 44) pos++;
    }
    pos += 2; // ]}
    if (text.charCodeAt(pos) === 44) pos++;
    if (mapped !== null) events.push({ productId: text.slice(productAt, productEnd), symbol: mapped.symbol, contractSize: mapped.contractSize, snapshot: text.charCodeAt(typeAt) === 115, updates });
  }
  return { seq: Number(m[1]), events };
}

/** A value of whitespace only: Number() reads it as 0 where the general path refuses it. */
function blank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029 && !(c >= 0x2000 && c <= 0x200a) && c !== 0x1680 && c !== 0x202f && c !== 0x205f && c !== 0x3000 && c !== 0x0b && c !== 0x0c) return false;
  }
  return true;
}
