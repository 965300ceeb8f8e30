/**
 * The doctor's stream check: opens a WebSocket and waits, at most timeoutMs on the injected wall
 * clock, for it to accept the connection or, when a subscription is given, for its first message.
 */
import WebSocket from 'ws';
import type { Clock } from '../../src/core/clock.js';
import { unreachable, type DoctorResult } from './doctor-common.js';

/**
 * `subscribe` (sent once the socket opens) makes the check wait for an answer; without it, an
 * accepted connection passes.
 */
export function streamCheck(url: string, timeoutMs: number, wall: Clock, subscribe?: unknown): Promise<DoctorResult> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const sent = wall.now();
    const done = (r: DoctorResult): void => {
      wall.cancelTimer(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(r);
    };
    const timer = wall.setTimer(timeoutMs, () =>
      done({ name: 'stream', ok: false, detail: subscribe === undefined ? `${url} did not accept a connection within ${timeoutMs} ms` : `${url} sent nothing within ${timeoutMs} ms` }),
    );
    if (subscribe === undefined) {
      ws.on('open', () => done({ name: 'stream', ok: true, detail: `${url} accepted a connection in ${wall.now() - sent} ms` }));
    } else {
      ws.on('open', () => ws.send(JSON.stringify(subscribe)));
      ws.on('message', () => done({ name: 'stream', ok: true, detail: `${url} answered in ${wall.now() - sent} ms` }));
    }
    ws.on('error', (e) => done(unreachable('stream', url, e)));
  });
}
