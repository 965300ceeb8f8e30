import type { Clock, TimerHandle } from './clock.js';
import type { OrderPurpose } from './types.js';

/** At most `limit` weight within any `windowMs` of the clock's time. */
export interface LimiterWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/** A budget the venue counts on its own (e.g. queries per IP, orders per wallet). */
export interface LimiterBudget {
  readonly name: string;
  readonly windows: readonly LimiterWindow[];
}

export interface WeightedCost {
  readonly budget: string;
  readonly weight: number;
}

/** Request classes, highest priority first: cancels, reduce-only and hedges go ahead of entries and data. */
export type LimiterClass = 'cancel' | 'reduce' | 'hedge' | 'exit' | 'entry' | 'query';

/**
 * The class an order is sent under. Reduce-only goes first (it can only shrink exposure); a hedge,
 * stop or liquidation that adds to a leg goes next; then exits, then entries.
 */
export function limiterClassOf(req: { readonly purpose?: OrderPurpose; readonly reduceOnly: boolean }): LimiterClass {
  if (req.reduceOnly) return 'reduce';
  switch (req.purpose) {
    case 'hedge':
    case 'stop':
    case 'liquidation':
      return 'hedge';
    case 'exit':
    case 'harvest':
    case 'manual':
      return 'exit';
    default:
      return 'entry';
  }
}

const PRIORITY: Readonly<Record<LimiterClass, number>> = { cancel: 60, reduce: 50, hedge: 40, exit: 30, entry: 20, query: 10 };

interface Spent {
  readonly at: number;
  readonly weight: number;
}

interface Waiter {
  readonly costs: readonly WeightedCost[];
  readonly priority: number;
  readonly grant: () => void;
}

/**
 * One limiter per venue account, shared by market data and execution. Each budget keeps a log of
 * what it spent; a request goes out only when, for every window of every budget it costs against,
 * the weight spent within the window plus its own stays within the limit — so the published
 * numbers are never exceeded over any window, not just on average. Waiters are served strictly by
 * (priority, arrival): a waiting entry never takes capacity ahead of a later cancel or hedge.
 * `backoff` (a 429 or Retry-After) pauses everything until the given time.
 */
export class WeightedLimiter {
  private readonly budgets = new Map<string, { readonly windows: readonly LimiterWindow[]; readonly log: Spent[] }>();
  private readonly waiters: Waiter[] = [];
  private backoffUntil = 0;
  private timer: TimerHandle | null = null;

  constructor(private readonly clock: Clock, budgets: readonly LimiterBudget[]) {
    for (const b of budgets) {
      if (b.windows.length === 0 || b.windows.some((w) => !(w.limit > 0) || !(w.windowMs > 0))) {
        throw new RangeError(`limiter budget ${b.name}: windows need a positive limit and length`);
      }
      this.budgets.set(b.name, { windows: b.windows, log: [] });
    }
  }

  /** Runs `fn` once its class's turn comes and every cost fits. */
  async schedule<T>(cls: LimiterClass, costs: readonly WeightedCost[], fn: () => Promise<T>): Promise<T> {
    await this.acquire(cls, costs);
    return fn();
  }

  /** Resolves once the costs were spent (callers that issue the request themselves). */
  acquire(cls: LimiterClass, costs: readonly WeightedCost[]): Promise<void> {
    for (const c of costs) {
      if (!this.budgets.has(c.budget)) throw new RangeError(`limiter: unknown budget ${c.budget}`);
    }
    return new Promise((grant) => {
      const priority = PRIORITY[cls];
      let i = this.waiters.length;
      while (i > 0 && this.waiters[i - 1]!.priority < priority) i--;
      this.waiters.splice(i, 0, { costs, priority, grant });
      this.pump();
    });
  }

  /** Pauses every request for `ms` from now (429, Retry-After). */
  backoff(ms: number): void {
    this.backoffUntil = Math.max(this.backoffUntil, this.clock.now() + Math.max(0, ms));
    this.pump();
  }

  /** Requests waiting. */
  depth(): number {
    return this.waiters.length;
  }

  /** Weight spent on `budget` within the last `windowMs` (for doctor and tests). */
  spentWithin(budget: string, windowMs: number): number {
    const b = this.budgets.get(budget);
    if (!b) return 0;
    const from = this.clock.now() - windowMs;
    return b.log.reduce((s, e) => (e.at > from ? s + e.weight : s), 0);
  }

  close(): void {
    if (this.timer !== null) this.clock.cancelTimer(this.timer);
    this.timer = null;
  }

  /** Wall ms until `costs` fit (0 = now). A cost heavier than a window's limit waits for an empty window. */
  private waitFor(costs: readonly WeightedCost[], now: number): number {
    let wait = 0;
    for (const c of costs) {
      const b = this.budgets.get(c.budget)!;
      for (const w of b.windows) {
        const weight = Math.min(c.weight, w.limit);
        const from = now - w.windowMs;
        let used = 0;
        for (const e of b.log) if (e.at > from) used += e.weight;
        if (used + weight <= w.limit) continue;
        // Walk the log oldest first until enough weight has left the window.
        let excess = used + weight - w.limit;
        for (const e of b.log) {
          if (e.at <= from) continue;
          excess -= e.weight;
          if (excess <= 0) {
            wait = Math.max(wait, e.at + w.windowMs - now + 1);
            break;
          }
        }
      }
    }
    return wait;
  }

  private spend(costs: readonly WeightedCost[], now: number): void {
    for (const c of costs) {
      const b = this.budgets.get(c.budget)!;
      const longest = Math.max(...b.windows.map((w) => w.windowMs));
      while (b.log.length > 0 && b.log[0]!.at <= now - longest) b.log.shift();
      b.log.push({ at: now, weight: Math.min(c.weight, Math.min(...b.windows.map((w) => w.limit))) });
    }
  }

  /**
   * Grants waiters in order while their costs fit. A waiter that must wait blocks only later
   * waiters that share a budget with it (a query is not held up by a cancel waiting for order
   * weight), so priority order holds within every budget.
   */
  private pump(): void {
    if (this.timer !== null) {
      this.clock.cancelTimer(this.timer);
      this.timer = null;
    }
    const now = this.clock.now();
    if (now < this.backoffUntil) {
      if (this.waiters.length > 0) this.arm(this.backoffUntil - now);
      return;
    }
    const blocked = new Set<string>();
    let minWait = Infinity;
    for (let i = 0; i < this.waiters.length; ) {
      const w = this.waiters[i]!;
      if (w.costs.some((c) => blocked.has(c.budget))) {
        for (const c of w.costs) blocked.add(c.budget);
        i++;
        continue;
      }
      const wait = this.waitFor(w.costs, now);
      if (wait > 0) {
        for (const c of w.costs) blocked.add(c.budget);
        minWait = Math.min(minWait, wait);
        i++;
        continue;
      }
      this.spend(w.costs, now);
      this.waiters.splice(i, 1);
      w.grant();
    }
    if (minWait < Infinity) this.arm(minWait);
  }

  private arm(delayMs: number): void {
    this.timer = this.clock.setTimer(Math.max(1, Math.ceil(delayMs)), () => {
      this.timer = null;
      this.pump();
    });
  }
}
