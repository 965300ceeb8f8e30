import { afterEach, beforeEach } from 'vitest';
import type { VenueBundle } from '../../../src/core/venue.js';
import { LoopbackNado } from './loopback-nado.js';
import { openAgainst, type OpenOpts } from './open-loopback.js';

/** A fresh loopback Nado per test, and the bundles opened against it, closed after the test. */
export interface LoopbackSuite {
  /** The current test's venue (valid inside a test). */
  readonly loop: LoopbackNado;
  /** Opens the adapter against `loop`; the bundle is closed after the test. */
  open(o?: OpenOpts): Promise<VenueBundle>;
}

/** Registers the per-test start and teardown of a loopback Nado in the calling describe block. */
export function useLoopbackNado(): LoopbackSuite {
  let loop: LoopbackNado | null = null;
  const opened: VenueBundle[] = [];
  beforeEach(async () => {
    loop = new LoopbackNado();
    await loop.start();
  });
  afterEach(async () => {
    for (const b of opened.splice(0)) {
      await b.live?.close();
      await b.source.close();
    }
    await loop?.stop();
    loop = null;
  });
  return {
    get loop(): LoopbackNado {
      if (!loop) throw new Error('the loopback Nado runs only inside a test');
      return loop;
    },
    async open(o = {}) {
      const b = await openAgainst(this.loop, o);
      opened.push(b);
      return b;
    },
  };
}
