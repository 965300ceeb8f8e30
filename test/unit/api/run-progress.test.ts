import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RunProgress, boundedProgress, progressRate } from '../../../src/cli/run-progress.js';

/** A fake terminal: cli-progress draws only where isTTY is true. */
function terminal(): { stream: NodeJS.WritableStream; text: () => string } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  }) as Writable & { isTTY: boolean; columns: number; cursorTo: () => boolean; clearLine: () => boolean; moveCursor: () => boolean };
  w.isTTY = true;
  w.columns = 200;
  w.cursorTo = () => true;
  w.clearLine = () => true;
  w.moveCursor = () => true;
  return { stream: w, text: () => text };
}

describe('RunProgress', () => {
  it('draws percentage, rate, ETA and the status figures on a terminal', () => {
    const t = terminal();
    const bar = new RunProgress({ stream: t.stream, kind: 'replay' });
    bar.update({ done: 250, total: 1_000 }, { rate: '5,000 events/s', status: 'equity $10,000.00' });
    bar.update({ done: 500, total: 1_000 }, { rate: '5,000 events/s', status: 'equity $10,001.00' });
    bar.stop();
    expect(t.text()).toMatch(/50%/);
    expect(t.text()).toMatch(/500\/1000 market min/);
    expect(t.text()).toContain('5,000 events/s');
    expect(t.text()).toMatch(/ETA/);
    expect(t.text()).toContain('equity $10,001.00');
  });

  it('labels the rate: market speed, and events per second when known', () => {
    expect(progressRate(120, 60)).toBe('120× real time');
    expect(progressRate(120, 60, 30_000)).toBe('120× real time, 500 events/s');
    expect(progressRate(120, 0)).toBe('…');
  });

  it('a replay bounded by --duration ends at the duration, not at the data', () => {
    expect(boundedProgress({ done: 30, total: 10_000 }, 0, 60)).toEqual({ done: 30, total: 60 });
    expect(boundedProgress({ done: 90, total: 10_000 }, 0, 60)).toEqual({ done: 60, total: 60 });
    expect(boundedProgress({ done: 30, total: 100 }, 0, 600)).toEqual({ done: 30, total: 100 });
    expect(boundedProgress({ done: 30, total: 100 }, 0, null)).toEqual({ done: 30, total: 100 });
    expect(boundedProgress(null, 12, 60)).toEqual({ done: 12, total: 60 });
  });

  it('log lines written through its sink clear the bar line first and the bar is drawn again after', () => {
    const t = terminal();
    const bar = new RunProgress({ stream: t.stream, kind: 'replay' });
    bar.update({ done: 10, total: 100 }, { rate: 'r', status: 's' });
    const before = t.text().length;
    bar.logSink(t.stream).write('{"msg":"pair_open"}\n');
    const after = t.text().slice(before);
    bar.stop();
    expect(after.startsWith('\r\x1b[2K{"msg":"pair_open"}\n')).toBe(true);
    expect(after.slice('\r\x1b[2K{"msg":"pair_open"}\n'.length)).toMatch(/10\/100 market min/);
  });

  it('on stop the cursor goes back below the last log line, not up to where the bar started', () => {
    const t = terminal();
    const bar = new RunProgress({ stream: t.stream, kind: 'replay' });
    bar.update({ done: 10, total: 100 }, { rate: 'r', status: 's' });
    bar.logSink(t.stream).write('{"msg":"pair_open"}\n');
    bar.complete();
    const out = t.text();
    // cli-progress saves the cursor (ESC 7) when the bar starts and restores it (ESC 8) on stop;
    // the summary is printed from there.
    expect(out.lastIndexOf('\x1b8')).toBeGreaterThan(out.lastIndexOf('{"msg":"pair_open"}'));
    expect(out.lastIndexOf('\x1b7')).toBeGreaterThan(out.lastIndexOf('{"msg":"pair_open"}'));
    expect(out).toMatch(/100\/100 market min/);
  });
});
