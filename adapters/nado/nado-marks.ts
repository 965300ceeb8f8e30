import type { Exchange } from 'ccxt';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { MarkUpdate } from '../../src/core/types.js';
import type { NadoRest } from './nado-rest.js';

type Obj = Record<string, unknown>;

/**
 * Nado's archive v2 `contracts` answer → marks. `funding_rate` there is a 24-hour rate (ccxt
 * reports its interval as 24h); our instruments fund hourly, so it is divided by 24.
 */
export function marksFromContracts(
  res: Obj,
  markets: readonly { readonly symbol: string; readonly tickerId: string }[],
  ts: number,
): MarkUpdate[] {
  const out: MarkUpdate[] = [];
  for (const m of markets) {
    const c = res[m.tickerId] as Obj | undefined;
    const mark = Number(c?.['mark_price']);
    const daily = Number(c?.['funding_rate'] ?? 0);
    if (!(mark > 0) || !Number.isFinite(daily)) continue;
    out.push({ symbol: m.symbol, ts, markPrice: mark, fundingRate: daily / 24 });
  }
  return out;
}

/** Polls marks and funding every `everyMs` of wall time (one archive query for all markets). */
export function startMarkPoller(o: {
  readonly rest: NadoRest;
  readonly markets: readonly { readonly symbol: string; readonly tickerId: string }[];
  readonly wall: Clock;
  readonly logger: Logger;
  readonly everyMs: number;
  readonly push: (m: MarkUpdate) => void;
}): () => void {
  let timer: TimerHandle | null = null;
  let stopped = false;
  const ex = o.rest.ex as Exchange & { archiveV2PublicGetContracts(p?: object): Promise<Obj> };
  const poll = async (): Promise<void> => {
    try {
      const res = await o.rest.call('candles', 'query', () => ex.archiveV2PublicGetContracts({}));
      if (!stopped) for (const m of marksFromContracts(res, o.markets, o.wall.now())) o.push(m);
    } catch (err) {
      o.logger.warn({ err: (err as Error).message }, 'nado: mark poll failed');
    }
    if (!stopped) timer = o.wall.setTimer(o.everyMs, () => void poll());
  };
  void poll();
  return () => {
    stopped = true;
    if (timer) o.wall.cancelTimer(timer);
  };
}
