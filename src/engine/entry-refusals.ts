import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { utcDay } from '../core/utc-day.js';
import type { Store } from '../store/store.js';

/**
 * A bot's refused entries, journaled (`entry_refused` events and an info log line) once per check
 * per UTC day: a refusal's reason carries live numbers and would otherwise repeat on every event
 * while the signal lasts. A reason may be given as a function, called only when it is journaled.
 */
export class EntryRefusals {
  private lastCheck = '';
  private lastDay = '';

  constructor(private readonly o: { readonly botId: string; readonly store: Store; readonly clock: Clock; readonly logger: Logger }) {}

  refuse(check: string, why: string | (() => string)): void {
    const day = utcDay(this.o.clock.now());
    if (check === this.lastCheck && day === this.lastDay) return;
    this.lastCheck = check;
    this.lastDay = day;
    const reason = typeof why === 'string' ? why : why();
    this.o.store.events.record(this.o.clock.now(), this.o.botId, 'entry_refused', { check, reason });
    this.o.logger.info({ check, reason }, 'entry refused');
  }

  /** Whether {@link refuse} with `check` at `now` would journal nothing: the same check's refusal was journaled that UTC day. */
  repeats(check: string, now: number): boolean {
    return check === this.lastCheck && utcDay(now) === this.lastDay;
  }

  /** An entry went out: the next refusal is journaled even if it repeats the last one's check that day. */
  entered(): void {
    this.lastCheck = '';
  }
}
