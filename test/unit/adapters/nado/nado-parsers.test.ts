import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChainedBook } from '../../../../adapters/nado/nado-book.js';
import { parseNadoFrame, type NadoBookFrame } from '../../../../adapters/nado/nado-parse.js';
import { parseMarketLiquidity } from '../../../../adapters/nado/nado-snapshot.js';
import { fromX18, nsToMs, toX18 } from '../../../../adapters/nado/x18.js';
import { NADO_DATA, nadoDataPresent } from '../../../support/loopback-nado/nado-fixtures.js';

describe('x18 numbers', () => {
  it('parses exactly through BigInt and round-trips decimals', () => {
    expect(fromX18('82913000000000000000000')).toBe(82913);
    expect(fromX18('-100000000000000000')).toBe(-0.1);
    expect(fromX18('60300000000000000')).toBeCloseTo(0.0603, 15);
    expect(fromX18('1.5')).toBeNull();
    expect(fromX18(undefined)).toBeNull();
    expect(toX18(223.95)).toBe('223950000000000000000');
    expect(toX18(-0.001)).toBe('-1000000000000000');
    expect(nsToMs('1790585975732686867')).toBe(1790585975732);
  });
});

describe.skipIf(!nadoDataPresent)('Nado stream frames (recorded, test/fixtures/venues/nado/ws_frames.jsonl)', () => {
  const lines = readFileSync(resolve(NADO_DATA, 'ws_frames.jsonl'), 'utf8').split('\n').filter((l) => l.trim());

  it('parses the recorded book_depth frames: x18 levels, "0" deletes, ns chain fields', () => {
    const perp = parseNadoFrame(lines[0]!);
    expect(perp?.type).toBe('book_depth');
    if (perp?.type !== 'book_depth') throw new Error();
    expect(perp.frame.productId).toBe(2);
    expect(perp.frame.lastMaxTs).toBe(1790585975679078357n);
    expect(perp.frame.maxTs).toBe(1790585975732686867n);
    expect(perp.frame.bids).toEqual([[82913, 0.0603]]);
    expect(perp.frame.asks[0]).toEqual([82929, 1.9645]);
    expect(perp.frame.asks[3]).toEqual([82956, 0]);
    const spot = parseNadoFrame(lines[1]!);
    expect(spot?.type === 'book_depth' && spot.frame.asks).toEqual([]);
  });

  it('ignores the types it does not use, drops malformed frames, and names a book frame it cannot apply in full', () => {
    expect(parseNadoFrame(lines[2]!)).toEqual({ type: 'ignored', what: 'best_bid_offer' });
    expect(parseNadoFrame('{not json')).toBeNull();
    expect(parseNadoFrame('{"type":"trade","product_id":2,')).toBeNull();
    expect(parseNadoFrame('{"type":"book_depth","product_id":2,"bids":[[')).toEqual({ type: 'book_broken', productId: 2, reason: 'a book frame that is not JSON' });
    const broken = JSON.parse(lines[0]!) as Record<string, unknown>;
    broken['bids'] = [['82913000000000000000000']];
    expect(parseNadoFrame(JSON.stringify(broken))).toEqual({ type: 'book_broken', productId: 2, reason: 'a book frame with a bad bids' });
    broken['bids'] = [];
    broken['max_timestamp'] = 17.5;
    expect(parseNadoFrame(JSON.stringify(broken))).toEqual({ type: 'book_broken', productId: 2, reason: 'a book frame with a bad max_timestamp' });
    expect(parseNadoFrame(JSON.stringify({ type: 'trade', product_id: 2, price: 'x' }))).toBeNull();
    expect(parseNadoFrame(JSON.stringify({ result: null, id: 3 }))).toEqual({ type: 'control' });
  });

  it('a recorded frame applies onto a snapshot taken just before it, and the book stays ordered', () => {
    const f = parseNadoFrame(lines[0]!);
    if (f?.type !== 'book_depth') throw new Error();
    const book = new ChainedBook();
    expect(book.apply(f.frame)).toBe('buffered');
    const snap = parseMarketLiquidity({
      status: 'success',
      data: { bids: [['82913000000000000000000', '1000000000000000000'], ['82900000000000000000000', '1000000000000000000']], asks: [['82956000000000000000000', '500000000000000000']], timestamp: '1790585975700000000' },
    });
    expect(book.seed(snap)).toBe('applied');
    const b = book.toBook('BTC-PERP', 1, 10);
    expect(b.bids).toEqual([{ price: 82913, size: 0.0603 }, { price: 82900, size: 1 }]);
    expect(b.asks.map((l) => l.price)).toEqual([82929, 82931, 82946]); // 82956 deleted by "0"
  });
});

function frame(last: bigint, max: bigint, bids: [number, number][] = [[100, 1]]): NadoBookFrame {
  return { productId: 2, lastMaxTs: last, maxTs: max, tsMs: Number(max / 1_000_000n), bids, asks: [] };
}

describe('chained book: sequence checks', () => {
  const snap = { tsNs: 1000n, bids: [[99, 1]] as [number, number][], asks: [[101, 1]] as [number, number][] };

  it('checks the FIRST frame after the snapshot (ccxt.pro does not): a frame starting after the snapshot is a gap', () => {
    const b = new ChainedBook();
    b.seed(snap);
    expect(b.apply(frame(1100n, 1200n))).toBe('gap');
  });

  it('skips frames inside the snapshot, applies the one straddling it, then requires the chain', () => {
    const b = new ChainedBook();
    b.seed(snap);
    expect(b.apply(frame(800n, 900n))).toBe('skipped');
    expect(b.apply(frame(900n, 1100n))).toBe('applied');
    expect(b.apply(frame(1100n, 1200n))).toBe('applied');
    expect(b.apply(frame(1150n, 1300n))).toBe('gap');
  });

  it('buffered frames replay through the same checks when the snapshot lands', () => {
    const b = new ChainedBook();
    b.apply(frame(900n, 1100n, [[99.5, 2]]));
    b.apply(frame(1100n, 1200n, [[99, 0]]));
    expect(b.seed(snap)).toBe('applied');
    expect(b.toBook('X', 0, 5).bids).toEqual([{ price: 99.5, size: 2 }]);
    const g = new ChainedBook();
    g.apply(frame(1050n, 1100n));
    expect(g.seed(snap)).toBe('gap');
  });
});
