import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Clock } from '../core/clock.js';

/**
 * Event-loop delay (perf_hooks' monitorEventLoopDelay) in windows: `p99Ms()` is the p99 of the
 * last complete window, so one slow moment ages out instead of failing /health for ever.
 */
export class EventLoopLag {
  private readonly histogram: IntervalHistogram;
  private windowStart: number;
  private lastP99: number | null = null;

  constructor(private readonly o: { clock: Clock; windowMs?: number; resolutionMs?: number }) {
    this.histogram = monitorEventLoopDelay({ resolution: o.resolutionMs ?? 20 });
    this.histogram.enable();
    this.windowStart = o.clock.now();
  }

  /** p99 delay of the last complete window (ms); null until one completes. */
  p99Ms(): number | null {
    const now = this.o.clock.now();
    if (now - this.windowStart >= (this.o.windowMs ?? 10_000)) {
      // The histogram's delay includes its own sampling resolution: subtract it.
      this.lastP99 = this.histogram.count > 0 ? Math.max(0, this.histogram.percentile(99) / 1e6 - (this.o.resolutionMs ?? 20)) : 0;
      this.histogram.reset();
      this.windowStart = now;
    }
    return this.lastP99;
  }

  stop(): void {
    this.histogram.disable();
  }
}
