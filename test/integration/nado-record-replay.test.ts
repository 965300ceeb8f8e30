import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordedStreamSource } from '../../adapters/replay/recorded-stream.js';
import { recordSymbols } from '../../src/cli/record-command.js';
import { LoopbackNado } from '../support/loopback-nado/loopback-nado.js';
import { nadoDataPresent } from '../support/loopback-nado/nado-fixtures.js';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

describe.skipIf(!nadoDataPresent)('dnbot record --venue nado, then dnbot replay of the recording', () => {
  const loop = new LoopbackNado();
  const dir = tempDir('dnbot-rec-');
  const out = join(dir, 'nado.jsonl');
  beforeAll(() => loop.start());
  afterAll(() => loop.stop());

  it('records books and trades as JSON lines that replay accepts', async () => {
    const cfgPath = join(dir, 'cfg.json');
    writeFileSync(cfgPath, JSON.stringify({ nado: { urls: loop.urls(), staleAfterMs: 2_000 } }));
    const eth = loop.product('ETH-PERP');
    const sol = loop.product('SOL-PERP');
    let n = 0;
    const ticker = setInterval(() => {
      loop.tick();
      loop.publishTrade(eth.productId, eth.mid + (n % 3) * eth.tick, 0.5, n % 2 === 0);
      loop.publishBook(sol.productId, [], [[sol.mid + sol.tick * (n % 4), 1 + n]]);
      n++;
    }, 40);
    let r;
    try {
      r = await runCli(['record', '--venue', 'nado', '--symbols', 'ETH,SOL', '--out', out, '--duration', '1500ms', '--config', cfgPath, '--log-level', 'silent']);
    } finally {
      clearInterval(ticker);
    }
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const header = JSON.parse(lines[0]!) as { format: string; venue: string; instruments: { symbol: string; tickSize: number }[] };
    expect(header).toMatchObject({ format: 'dnbot-recording/1', venue: 'nado' });
    expect(header.instruments.map((i) => i.symbol).sort()).toEqual(['ETH-PERP', 'SOL-PERP']);
    const src = new RecordedStreamSource(out);
    const events = [];
    for (let e = src.next(); e !== null; e = src.next()) events.push(e);
    expect(events.length).toBe(lines.length - 1);
    expect(events.filter((e) => e.kind === 'trade' && e.trade.symbol === 'ETH-PERP').length).toBeGreaterThan(5);
    const solBooks = events.filter((e) => e.kind === 'book' && e.book.symbol === 'SOL-PERP');
    expect(solBooks.length).toBeGreaterThan(5);
    for (let i = 1; i < events.length; i++) expect(events[i]!.ts).toBeGreaterThanOrEqual(events[i - 1]!.ts);
    for (const b of solBooks) if (b.kind === 'book') expect(b.book.bids[0]!.price).toBeLessThan(b.book.asks[0]!.price);

    const rep = await runCli(['replay', '--data', out, '--db', join(dir, 'r.db'), '--json', '--log-level', 'silent']);
    expect(rep.code).toBe(0);
    expect(summaryOf(rep)).toBeTypeOf('object');
  }, 30_000);

  it('a damaged recording is refused naming the line', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${readFileSync(out, 'utf8').split('\n')[0]}\n{"ts":1,"kind":"book","book":{"symbol":"ETH-PERP","bids":"x"}}\n`);
    expect(() => new RecordedStreamSource(bad)).toThrow(/bad\.jsonl:2/);
  });

  it('an --out file that cannot be written is an error naming it, not a crash', async () => {
    const cfgPath = join(dir, 'cfg.json');
    writeFileSync(cfgPath, JSON.stringify({ nado: { urls: loop.urls(), staleAfterMs: 2_000 } }));
    const where = join(dir, 'no-such-dir', 'x.jsonl');
    const r = await runCli(['record', '--venue', 'nado', '--symbols', 'ETH', '--out', where, '--duration', '300ms', '--config', cfgPath, '--log-level', 'silent']);
    expect(r.code).not.toBe(0);
    expect(r.err.join('\n')).toContain(where);
  });

  it('symbols and duration are checked before anything connects', async () => {
    expect(recordSymbols('eth, SOL,BTC-PERP')).toEqual(['ETH-PERP', 'SOL-PERP', 'BTC-PERP']);
    expect(() => recordSymbols(' , ')).toThrow(/at least one symbol/);
    const r = await runCli(['record', '--venue', 'nado', '--symbols', 'ETH', '--out', join(dir, 'x.jsonl'), '--duration', 'soon']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/--duration/);
  });
});
