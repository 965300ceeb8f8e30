/**
 * The only source of time. Live mode uses wall time; the simulated market and replay use a
 * {@link SimClock} advanced by event timestamps, so runs are deterministic and as fast as the CPU.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  now(): number;
  /** Calls `fn` once `delayMs` of this clock's time has passed. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  cancelTimer(handle: TimerHandle): void;
  sleep(delayMs: number): Promise<void>;
}

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** Simulated time. Timers fire in (due time, creation order) when time is advanced past them. */
export class SimClock implements Clock {
  /**
   * Market time. Initialised here, not only in the constructor: a field declared bare starts as
   * `undefined`, and V8 then keeps it as a tagged field where each new time is stored as a fresh
   * heap number: 16 bytes on every market event, ~17 MB a simulated day.
   */
  private t = 0;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(startMs: number) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    const p: Pending = { id, at: this.t + Math.max(0, delayMs), fn };
    // Keep sorted by (at, id); insertion from the back is cheap for near-future timers.
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1]!.at > p.at) i--;
    this.pending.splice(i, 0, p);
    return { id };
  }

  cancelTimer(handle: TimerHandle): void {
    const i = this.pending.findIndex((p) => p.id === handle.id);
    if (i >= 0) this.pending.splice(i, 1);
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.setTimer(delayMs, resolve);
    });
  }

  /** Due time of the earliest timer, or null. */
  nextTimerAt(): number | null {
    return this.pending[0]?.at ?? null;
  }

  /** Moves time forward to `ts`, firing every timer due on the way, each at its own time. */
  advanceTo(ts: number): void {
    while (this.pending.length > 0 && this.pending[0]!.at <= ts) {
      const p = this.pending.shift()!;
      if (p.at > this.t) this.t = p.at;
      p.fn();
    }
    if (ts > this.t) this.t = ts;
  }

  pendingTimers(): number {
    return this.pending.length;
  }
}

/** Wall time. The one place where `Date.now` and `setTimeout` are used. */
export class LiveClock implements Clock {
  private nextId = 1;
  private readonly handles = new Map<number, ReturnType<typeof setTimeout>>();

  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    const h = setTimeout(() => {
      this.handles.delete(id);
      fn();
    }, Math.max(0, delayMs));
    this.handles.set(id, h);
    return { id };
  }

  cancelTimer(handle: TimerHandle): void {
    const h = this.handles.get(handle.id);
    if (h !== undefined) clearTimeout(h);
    this.handles.delete(handle.id);
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.setTimer(delayMs, resolve);
    });
  }
}

/**
 * Keeps a SimClock on wall time (live venues): every `intervalMs` it advances to `wall.now()`,
 * firing due timers (order lookups, rate-limit refills, entry timeouts) even while the market is
 * quiet. Returns the function that stops it.
 */
export function followWall(sim: SimClock, wall: Clock, intervalMs: number): () => void {
  let handle: TimerHandle | null = null;
  const tick = (): void => {
    sim.advanceTo(wall.now());
    handle = wall.setTimer(intervalMs, tick);
  };
  tick();
  return () => {
    if (handle) wall.cancelTimer(handle);
    handle = null;
  };
}

/** Lets queued promise continuations and immediates run. Deterministic under a SimClock. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Lets queued promise continuations run, and nothing else: resolves once every continuation queued
 * before it, and every one those queue in turn, has run, without a turn of the event loop (no I/O,
 * no wall timers, no immediates). Where all the work to wait for is promises on a SimClock (a
 * simulated or recorded market traded on the in-process paper venue), it resumes with the same work
 * done in the same order as {@link settle}, for ~0.2 µs instead of an event-loop turn (~3–5 µs).
 * Not for live sources: they must give I/O its turn.
 *
 * Why it waits for the whole queue: the tick is asked for from a continuation, and Node runs a tick
 * asked for during a microtask checkpoint only once the checkpoint has emptied the queue.
 */
export function drainMicrotasks(): Promise<void> {
  return Promise.resolve().then(() => new Promise<void>((resolve) => process.nextTick(resolve)));
}

/**
 * Awaits `p` while driving a SimClock: whenever nothing else can progress, time jumps to the next
 * timer. Used where paper requests (whose latency runs on the market clock) must complete outside
 * the event loop (start-up reconciliation, shutdown).
 */
export async function awaitOnSimClock<T>(clock: SimClock, p: Promise<T>): Promise<T> {
  let done = false;
  const tracked = p.finally(() => {
    done = true;
  });
  // Handled here so a rejection while the clock is being driven is not an unhandled rejection
  // (fatal under Node's default mode); the caller still receives it from the returned promise.
  tracked.catch(() => undefined);
  while (!done) {
    await settle();
    if (done) break;
    const next = clock.nextTimerAt();
    if (next === null) {
      await settle();
      if (!done) throw new Error('awaitOnSimClock: the promise is still pending and no timer is left to fire (stalled)');
      break;
    }
    clock.advanceTo(next);
  }
  return tracked;
}
