import { readdirSync, readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/** CPU time so far, in ms, of this process's main thread and of all its other threads. */
export interface ThreadCpu {
  readonly mainMs: number;
  /** V8's compiler and garbage-collector helpers, libuv's pool: the work `process.cpuUsage` adds to the main thread's. */
  readonly otherMs: number;
}

/**
 * This process's CPU time by thread, from Linux's per-thread scheduler counters
 * (`/proc/self/task/<tid>/schedstat`, nanoseconds on the CPU). Null where they are missing (not
 * Linux) or when the caller is not the main thread (a worker cannot tell which task is its own).
 * A thread that ends between two readings takes its time with it: a difference of two readings
 * under-counts the other threads then, never the main one.
 */
export function threadCpu(): ThreadCpu | null {
  if (!isMainThread) return null;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  let main = 0;
  let other = 0;
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8');
    } catch {
      // Ended since the listing, or no scheduler statistics in this kernel.
      if (Number(tid) === process.pid) return null;
      continue;
    }
    const ns = Number(text.split(' ')[0]);
    if (!Number.isFinite(ns)) return null;
    if (Number(tid) === process.pid) main += ns;
    else other += ns;
  }
  return { mainMs: main / 1e6, otherMs: other / 1e6 };
}

/** `after` − `before`, by thread; null unless both were read. */
export function threadCpuSince(before: ThreadCpu | null, after: ThreadCpu | null): ThreadCpu | null {
  if (before === null || after === null) return null;
  return { mainMs: after.mainMs - before.mainMs, otherMs: after.otherMs - before.otherMs };
}
