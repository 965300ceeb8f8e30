import type { Book } from '../core/types.js';
import type { DnPairConfig } from '../../strategies/dn-pair/dn-pair-config.js';
import type { SpreadSignal } from '../../strategies/dn-pair/dn-pair-strategy.js';
import { bookSpreadBps, decideVolumeEntry, decideVolumeExit, type VolumeExitReason } from '../../strategies/dn-pair/volume-mode.js';
import type { RoundTrip } from '../store/round-trip-repository.js';

/**
 * Volume mode's state between cycles: the cadence and the last direction. Entries carry a signal
 * strength of 0.5 (the entry band's value): volume mode has no spread signal, so seed 000's
 * multiplier neither takes it for the defensive zone nor boosts it beyond confidence.
 */
export class VolumeCycle {
  private nextCycleTs = 0;
  private lastLong: string | null = null;

  constructor(private readonly config: DnPairConfig) {}

  /** How long a leg's fill waits for its post-only hedge before the other leg crosses (the bot's `execution.nakedMaxMs`). */
  get nakedMaxMs(): number {
    return this.config.volume.nakedMaxMs;
  }

  /** Post-only re-posts of an exit before IOC. */
  get exitReposts(): number {
    return this.config.volume.exitReposts;
  }

  /** The next cycle's legs when one is due; each attempt (even a refused one) waits a full cadence. */
  decideEntry(
    now: number,
    sig: SpreadSignal,
    book: (symbol: string) => Book | undefined,
    volatilityFactor: () => number | null = () => null,
  ): { longSymbol: string; shortSymbol: string; signal: SpreadSignal } | null {
    const c = this.config;
    const d = decideVolumeEntry(c, {
      now,
      nextCycleTs: this.nextCycleTs,
      spreadBpsA: bookSpreadBps(book(c.legA)),
      spreadBpsB: bookSpreadBps(book(c.legB)),
      z: sig.z,
      lastLong: this.lastLong,
      // Read only when the quiet gate is set: reading the factor refreshes its cache, which sizing shares.
      volatilityFactor: c.volume.maxVolatilityFactor === null ? null : volatilityFactor(),
    });
    if (!d) return null;
    this.nextCycleTs = now + c.volume.cycleIntervalMs;
    this.lastLong = d.longSymbol;
    return { ...d, signal: { ...sig, signalStrength: 0.5 } };
  }

  decideExit(pair: RoundTrip, pnlFraction: number, now: number): VolumeExitReason | null {
    return decideVolumeExit(this.config, { openedTs: pair.openTs ?? pair.entryTs, now, pnlFraction });
  }
}
