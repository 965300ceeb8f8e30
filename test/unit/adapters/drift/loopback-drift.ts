/**
 * A loopback Drift for offline end-to-end tests: a Solana JSON-RPC answering account reads with
 * accounts encoded by the program's own Borsh layouts, a DLOB server (/l2 and its websocket) and
 * the Data API's candles. Everything listens on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublicKey } from '@solana/web3.js';
import {
  DRIFT_PROGRAM_ID,
  getDriftStateAccountPublicKey,
  getPerpMarketPublicKeySync,
  getSpotMarketPublicKeySync,
  getUserAccountPublicKeySync,
  type PerpMarketAccount,
  type SpotMarketAccount,
  type StateAccount,
} from '@drift-labs/sdk';
import { WebSocketServer, type WebSocket } from 'ws';
import { offlineDrift } from '../../../../adapters/drift/drift-offline.js';
import { LiveClock } from '../../../../src/core/clock.js';
import * as fx from './drift-fixtures.js';

interface AccountsCoder {
  accountLayouts: Map<string, { encode(obj: unknown, buf: Buffer): number }>;
  constructor: { accountDiscriminator(name: string): Buffer };
}

/** Encodes an account as the chain stores it: Anchor discriminator + Borsh body. */
function encoder(): (name: string, obj: unknown) => Buffer {
  const d = offlineDrift({ programId: new PublicKey(DRIFT_PROGRAM_ID), state: fx.mockState(), perpMarkets: [], spotMarkets: [], perpOracles: new Map(), spotOracles: new Map(), user: fx.mockUserAccount() });
  const coder = d.client.program.coder.accounts as unknown as AccountsCoder;
  return (name, obj) => {
    const buf = Buffer.alloc(16_384);
    const len = coder.accountLayouts.get(name)!.encode(obj, buf);
    return Buffer.concat([coder.constructor.accountDiscriminator(name), buf.subarray(0, len)]);
  };
}

const wall = new LiveClock();
const nameBytes = (s: string): number[] => [...Buffer.from(s.padEnd(32, ' '))];

export interface LoopbackDrift {
  readonly rpc: string;
  readonly dlobHttp: string;
  readonly dlobWs: string;
  readonly data: string;
  /** Mid price per perp market index; frames follow it. */
  readonly mids: Map<number, number>;
  readonly rpcMethods: string[];
  /** The chain's block height served by getBlockHeight. */
  blockHeight: number;
  /** How far the chain's block time (getBlockTime) runs ahead of the real clock, ms. */
  chainTimeOffsetMs: number;
  /** The next this-many RPC requests answer HTTP 503 (fault injection). */
  rpc5xx: number;
  /** The next this-many DLOB `/l2` requests answer HTTP 502 (fault injection). */
  l2Http5xx: number;
  /** Signature statuses served by getSignatureStatuses (absent = null: never seen). */
  readonly sigStatus: Map<string, { slot: number; confirmationStatus: string; err: unknown }>;
  /** Serves a (mock) user account for `authority`'s subaccount 0. */
  serveUser(authority: PublicKey): void;
  /** DLOB websocket connections open now. */
  openSockets(): number;
  /** Subscribe requests received on the DLOB websocket. */
  readonly subscribes: Record<string, unknown>[];
  /** Sends a book per subscribed market on `orderbook_perp_<i>_grouped_1` (the server's default), or on the pre-2025-10 `orderbook_perp_<i>` when `legacy`. */
  pushBooks(legacy?: boolean): void;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString()));
    req.on('end', () => resolve(s));
  });
}

function l2(marketIndex: number, name: string, mid: number, slot: number): Record<string, unknown> {
  const px = (p: number) => String(Math.round(p * 1e6));
  const level = (p: number) => ({ price: px(p), size: String(50e9), sources: { vamm: String(50e9) } });
  const tick = mid * 0.0002;
  return {
    bids: [level(mid - tick), level(mid - 2 * tick)],
    asks: [level(mid + tick), level(mid + 2 * tick)],
    marketName: name,
    marketType: 'perp',
    marketIndex,
    ts: wall.now(),
    slot,
    markPrice: px(mid),
    oracle: Math.round(mid * 1e6),
    oracleData: { price: px(mid), slot: String(slot) },
  };
}

/**
 * A frame as the grouped publisher (dlob-server `publishGroupings`, grouping 1) sends it on
 * `orderbook_perp_<i>_grouped_1`: price and size are numbers in Drift's units, bucketed with float
 * arithmetic, and a crossed level is kept (here a small bid above the best ask).
 */
function groupedL2(marketIndex: number, name: string, mid: number, slot: number): Record<string, unknown> {
  const doc = l2(marketIndex, name, mid, slot);
  const tick = mid * 0.0002;
  // Float noise of the bucketing: floor(price / precision) * precision.
  const px = (p: number) => Math.floor((p * 1e6) / 100) * 100 + 1e-8;
  const level = (p: number, size: number) => ({ price: px(p), size: size * 1e9, sources: { vamm: size * 1e9 } });
  return {
    ...doc,
    bids: [level(mid + 1.5 * tick, 1), level(mid - tick, 50), level(mid - 2 * tick, 50)],
    asks: [level(mid + tick, 50), level(mid + 2 * tick, 50)],
  };
}

/** Starts the loopback (`exchangeStatus` 255 = the program paused, as Drift's is since 2026-04-01): SOL-PERP (0) and ETH-PERP (2) settling in USDC (spot 0). */
export async function startLoopbackDrift(o: { readonly exchangeStatus?: number } = {}): Promise<LoopbackDrift> {
  const enc = encoder();
  const pid = new PublicKey(DRIFT_PROGRAM_ID);
  const markets: [number, string, number, number][] = [
    [0, 'SOL-PERP', 150, 1000],
    [2, 'ETH-PERP', 3000, 500],
  ];
  const accounts = new Map<string, Buffer>();
  const state: StateAccount = { ...fx.mockState(), exchangeStatus: o.exchangeStatus ?? 0 };
  state.perpFeeStructure.feeTiers[0] = { ...state.perpFeeStructure.feeTiers[0]!, feeNumerator: 35, feeDenominator: 100_000, makerRebateNumerator: 2, makerRebateDenominator: 100_000 };
  accounts.set((await getDriftStateAccountPublicKey(pid)).toBase58(), enc('State', state));
  const usdc: SpotMarketAccount = { ...fx.mockSpotMarket(), name: nameBytes('USDC') };
  accounts.set(getSpotMarketPublicKeySync(pid, 0).toBase58(), enc('SpotMarket', usdc));
  for (const [idx, name, price, imr] of markets) {
    const m: PerpMarketAccount = fx.mockPerpMarket(idx, fx.SOL_ORACLE, imr, imr / 2, price);
    m.name = nameBytes(name);
    m.status = { active: {} };
    m.amm.maxSlippageRatio = 50;
    accounts.set(getPerpMarketPublicKeySync(pid, idx).toBase58(), enc('PerpMarket', m));
  }
  const account = (key: string) => {
    const data = accounts.get(key);
    if (key === pid.toBase58()) return { data: ['', 'base64'], executable: true, lamports: 1, owner: 'BPFLoaderUpgradeab1e11111111111111111111111', rentEpoch: 0, space: 0 };
    return data ? { data: [data.toString('base64'), 'base64'], executable: false, lamports: 1_000_000, owner: pid.toBase58(), rentEpoch: 0, space: data.length } : null;
  };
  const rpcMethods: string[] = [];
  const sigStatus = new Map<string, { slot: number; confirmationStatus: string; err: unknown }>();
  let slot = 1000;
  const server: Server = createServer((req, res) => {
    void body(req).then((text) => {
      res.setHeader('content-type', 'application/json');
      const url = req.url ?? '';
      if (req.method === 'POST' && url === '/' && api.rpc5xx > 0) {
        api.rpc5xx--;
        res.statusCode = 503;
        res.end('upstream unavailable');
        return;
      }
      if (/^\/l2\?/.test(url) && api.l2Http5xx > 0) {
        api.l2Http5xx--;
        res.statusCode = 502;
        res.end('bad gateway');
        return;
      }
      if (req.method === 'POST' && url === '/') {
        const call = JSON.parse(text) as { id: unknown; method: string; params: unknown[] };
        rpcMethods.push(call.method);
        const ctx = { context: { slot } };
        let result: unknown;
        if (call.method === 'getAccountInfo') result = { ...ctx, value: account(call.params[0] as string) };
        else if (call.method === 'getMultipleAccounts') result = { ...ctx, value: (call.params[0] as string[]).map(account) };
        else if (call.method === 'getSlot') result = slot;
        else if (call.method === 'getBlockHeight') result = api.blockHeight;
        else if (call.method === 'getBlockTime') result = Math.floor((Date.now() + api.chainTimeOffsetMs) / 1000);
        else if (call.method === 'getSignatureStatuses') result = { ...ctx, value: (call.params[0] as string[]).map((sig) => { const st = sigStatus.get(sig); return st ? { confirmations: null, ...st } : null; }) };
        else {
          res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, error: { code: -32601, message: `not in the loopback: ${call.method}` } }));
          return;
        }
        res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, result }));
        return;
      }
      const l2m = /^\/l2\?marketIndex=(\d+)/.exec(url);
      const market = l2m ? markets.find(([i]) => i === Number(l2m[1])) : undefined;
      if (market) {
        res.end(JSON.stringify(l2(market[0], market[1], mids.get(market[0])!, slot)));
        return;
      }
      const c = /^\/market\/([A-Z]+-PERP)\/candles\/1/.exec(url);
      const cm = c ? markets.find(([, n]) => n === c[1]) : undefined;
      if (cm) {
        const now = Math.floor(wall.now() / 60_000) * 60;
        const records = Array.from({ length: 240 }, (_, k) => {
          const p = cm[2] * (1 + 0.002 * Math.sin(k / 7 + cm[0]));
          return { ts: now - (240 - k) * 60, oracleOpen: p, oracleHigh: p * 1.001, oracleLow: p * 0.999, oracleClose: p, baseVolume: 10 };
        });
        res.end(JSON.stringify({ success: true, records }));
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.on('listening', r));
  const subs = new Map<WebSocket, Set<number>>();
  const subscribes: Record<string, unknown>[] = [];
  wss.on('connection', (s) => {
    subs.set(s, new Set());
    s.on('message', (m) => {
      const msg = JSON.parse(m.toString()) as { market?: string };
      subscribes.push(msg);
      const found = markets.find(([, n]) => n === msg.market);
      if (found) subs.get(s)!.add(found[0]);
    });
    s.on('close', () => subs.delete(s));
  });
  const mids = new Map(markets.map(([i, , p]) => [i, p]));
  const http = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api: LoopbackDrift = {
    rpc: http,
    dlobHttp: http,
    data: http,
    dlobWs: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    mids,
    rpcMethods,
    blockHeight: 900,
    chainTimeOffsetMs: 0,
    rpc5xx: 0,
    l2Http5xx: 0,
    sigStatus,
    openSockets: () => subs.size,
    subscribes,
    serveUser(authority) {
      const user = { ...fx.mockUserAccount(), authority };
      accounts.set(getUserAccountPublicKeySync(pid, authority, 0).toBase58(), enc('User', user));
    },
    pushBooks(legacy = false) {
      slot++;
      for (const [s, set] of subs) {
        for (const idx of set) {
          const name = markets.find(([i]) => i === idx)![1];
          const doc = legacy ? l2(idx, name, mids.get(idx)!, slot) : groupedL2(idx, name, mids.get(idx)!, slot);
          s.send(JSON.stringify({ channel: legacy ? `orderbook_perp_${idx}` : `orderbook_perp_${idx}_grouped_1`, data: JSON.stringify(doc) }));
        }
      }
    },
    async close() {
      for (const s of subs.keys()) s.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return api;
}
