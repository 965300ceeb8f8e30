import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RunProgress, progressRate } from '../../../src/cli/run-progress.js';

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
    expect(t.text()).toMatch(/500\/1000 events/);
    expect(t.text()).toContain('5,000 events/s');
    expect(t.text()).toMatch(/ETA/);
    expect(t.text()).toContain('equity $10,001.00');
  });

  it('labels the rate: events per second for replays, market speed for runs', () => {
    expect(progressRate('replay', 10_000, 2)).toBe('5,000 events/s');
    expect(progressRate('run', 120, 60)).toBe('120× real time');
    expect(progressRate('run', 120, 0)).toBe('…');
  });
});
