/** The Coinbase stale guard: no dead-man switch, so a stale stream cancels every resting order. */
import { describe, expect, it } from 'vitest';
import { staleGuard } from '../../../../adapters/coinbase/index.js';
import { SimClock, settle } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';

function fixture(failures: number) {
  let stale = new Set<string>();
  const calls: string[] = [];
  let left = failures;
  const stream = { health: () => ({ stale, reason: stale.size > 0 ? 'stream disconnected; reconnecting' : null }) };
  const venue = {
    cancelAll: async (reason: string): Promise<void> => {
      calls.push(reason);
      if (left-- > 0) throw new Error('coinbase brokerage/orders/historical/batch: no answer');
    },
  };
  const wall = new SimClock(1_000_000);
  const { onHealth } = staleGuard(stream, venue, silentLogger, wall);
  const setStale = (ids: string[]): void => {
    stale = new Set(ids);
  };
  /** The stream was sound, then goes stale. */
  const goStale = (): void => {
    setStale([]);
    onHealth();
    setStale(['BIP-20DEC30-CDE']);
    onHealth();
  };
  return { calls, wall, onHealth, setStale, goStale };
}

describe('Coinbase stale guard', () => {
  it('cancels once per stale episode', async () => {
    const f = fixture(0);
    f.onHealth();
    expect(f.calls).toHaveLength(0); // never sound yet: nothing could be resting
    f.setStale([]);
    f.onHealth();
    f.setStale(['BIP-20DEC30-CDE']);
    f.onHealth();
    f.onHealth();
    await settle();
    f.wall.advanceTo(f.wall.now() + 60_000);
    await settle();
    expect(f.calls).toHaveLength(1);
  });

  it('a cancel-all that fails (the network blip that dropped the stream) is retried while the stream stays stale', async () => {
    const f = fixture(2);
    f.goStale();
    for (let i = 0; i < 5; i++) {
      await settle();
      f.wall.advanceTo(f.wall.now() + 5_000);
    }
    await settle();
    expect(f.calls).toHaveLength(3);
  });

  it('no retry once the stream is sound again', async () => {
    const f = fixture(5);
    f.goStale();
    await settle();
    f.setStale([]);
    f.onHealth();
    for (let i = 0; i < 5; i++) {
      f.wall.advanceTo(f.wall.now() + 5_000);
      await settle();
    }
    expect(f.calls).toHaveLength(1);
  });
});
