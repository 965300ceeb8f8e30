import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection } from '@solana/web3.js';
import { describe, expect, it, vi } from 'vitest';
import { retryAfterMs, rpcFetch } from '../../../../adapters/drift/drift-rpc-fetch.js';
import { LiveClock } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';

describe('the RPC fetch honours 429 / Retry-After through the account limiter', () => {
  it('reads Retry-After as seconds or a date, null when absent', () => {
    expect(retryAfterMs('2', 0)).toBe(2_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(null, 0)).toBeNull();
    expect(retryAfterMs('soon', 0)).toBeNull();
  });

  it('a Connection over a loopback RPC that answers 429 once pauses the limiter, and the call still succeeds', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // web3.js reports its own retry
    let calls = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        calls++;
        if (calls === 1) {
          res.writeHead(429, { 'retry-after': '3', 'content-type': 'application/json' });
          res.end('{}');
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ jsonrpc: '2.0', id: (JSON.parse(body) as { id: unknown }).id, result: 4242 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?api-key=SECRET`;
    const pauses: number[] = [];
    const logged: object[] = [];
    const logger = { ...silentLogger, warn: (o: object) => void logged.push(o) };
    try {
      const conn = new Connection(url, { commitment: 'confirmed', fetch: rpcFetch({ backoff: (ms) => pauses.push(ms) }, logger, new LiveClock()) });
      expect(await conn.getSlot()).toBe(4242);
      expect(pauses).toEqual([3_000]);
      expect(JSON.stringify(logged)).not.toContain('SECRET');
    } finally {
      server.close();
      vi.restoreAllMocks();
    }
  });

  it('an RPC that never answers is given up after the timeout (a send or lookup is never held forever)', async () => {
    const server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const conn = new Connection(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { commitment: 'confirmed', fetch: rpcFetch({ backoff: () => undefined }, silentLogger, new LiveClock(), 150) });
      await expect(conn.getSlot()).rejects.toThrow(/did not answer within 150 ms/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
