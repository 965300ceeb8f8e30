import type { VenueStateStore } from '../../src/core/venue.js';
import { NADO_MAX_CLIENT_ID } from './nado-quirks.js';

/** What we know of one order we sent to Nado, persisted before the request goes out. */
export interface NadoOrderRef {
  readonly clientOrderId: string;
  /** The numeric id Nado echoes on fills and order updates. */
  readonly cid: number;
  readonly digest: string;
  readonly productId: number;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly size: number;
  /** Wall ms after which Nado refuses the signed order (nonce = recv time << 20). */
  readonly recvBy: number;
}

/**
 * Our client order ids ↔ Nado's numeric ids and digests, in the run's SQLite (VenueStateStore) so
 * a restart still maps the orders left open and the fills that arrive for them.
 */
export class NadoOrderMap {
  private readonly byCoid = new Map<string, NadoOrderRef>();
  private readonly byDigest = new Map<string, NadoOrderRef>();
  private readonly byCid = new Map<number, NadoOrderRef>();

  constructor(private readonly state: VenueStateStore) {
    for (const { value } of state.list('order:')) {
      try {
        this.index(JSON.parse(value) as NadoOrderRef);
      } catch {
        /* a corrupt row cannot map anything */
      }
    }
  }

  /** The next numeric client id (never reused: the counter is persisted). */
  nextCid(): number {
    const n = (Number(this.state.get('cid') ?? '0') % NADO_MAX_CLIENT_ID) + 1;
    this.state.set('cid', String(n));
    return n;
  }

  save(ref: NadoOrderRef): void {
    this.state.set(`order:${ref.clientOrderId}`, JSON.stringify(ref));
    this.index(ref);
  }

  byClientOrderId(coid: string): NadoOrderRef | undefined {
    return this.byCoid.get(coid);
  }

  byOrderDigest(digest: string): NadoOrderRef | undefined {
    return this.byDigest.get(digest.toLowerCase());
  }

  byClientId(cid: number): NadoOrderRef | undefined {
    return this.byCid.get(cid);
  }

  private index(r: NadoOrderRef): void {
    this.byCoid.set(r.clientOrderId, r);
    this.byDigest.set(r.digest.toLowerCase(), r);
    this.byCid.set(r.cid, r);
  }
}
