import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../../../src/core/clock.js';
import { GIVE_WAY_MAX_MS, OPERATOR_WAIT_MS, waitingSignalPath, WriteTurns } from '../../../src/store/write-turn.js';

/** Wall time that moves only when the run sleeps; `onSleep` plays the command meanwhile. */
class StepWall implements Clock {
  sleeps = 0;
  constructor(
    public t: number,
    private readonly onSleep: (w: StepWall) => void = () => undefined,
  ) {}
  now(): number {
    return this.t;
  }
  setTimer(): TimerHandle {
    throw new Error('not used');
  }
  cancelTimer(): void {}
  sleep(ms: number): Promise<void> {
    this.t += ms;
    this.sleeps++;
    this.onSleep(this);
    return Promise.resolve();
  }
}

let dir = '';
let signal = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnbot-turns-'));
  signal = waitingSignalPath(join(dir, 'dnbot.db'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A wall clock on the signal's own time scale (its mtime), as in a real run. */
const wallAtSignal = (onSleep?: (w: StepWall) => void): StepWall => new StepWall(Date.now(), onSleep);

describe('WriteTurns', () => {
  it('nothing waits without a signal, nor on an in-memory database', () => {
    expect(new WriteTurns(signal).waiting(wallAtSignal())).toBe(false);
    writeFileSync(signal, 'a');
    expect(new WriteTurns(null).waiting(wallAtSignal())).toBe(false);
  });

  it('gives way until the command removes its signal', async () => {
    writeFileSync(signal, 'a');
    const turns = new WriteTurns(signal);
    const wall = wallAtSignal((w) => {
      if (w.sleeps === 3) rmSync(signal);
    });
    expect(turns.waiting(wall)).toBe(true);
    await turns.giveWay(wall);
    expect(wall.sleeps).toBe(3);
    expect(turns.waiting(wall)).toBe(false);
  });

  it('a signal left by a killed command is waited for once, up to the bound, then removed and ignored; a new one counts again', async () => {
    writeFileSync(signal, 'killed');
    const turns = new WriteTurns(signal);
    const wall = wallAtSignal();
    const start = wall.now();
    expect(turns.waiting(wall)).toBe(true);
    await turns.giveWay(wall);
    expect(wall.now() - start).toBe(GIVE_WAY_MAX_MS);
    expect(existsSync(signal)).toBe(false);
    expect(turns.waiting(wall)).toBe(false);
    writeFileSync(signal, 'next command');
    expect(turns.waiting(wall)).toBe(true);
  });

  it('a signal older than any command waits is stale at once: removed, not waited for', () => {
    writeFileSync(signal, 'old');
    const old = (Date.now() - 2 * OPERATOR_WAIT_MS - 1_000) / 1000;
    utimesSync(signal, old, old);
    expect(new WriteTurns(signal).waiting(wallAtSignal())).toBe(false);
    expect(existsSync(signal)).toBe(false);
  });
});
