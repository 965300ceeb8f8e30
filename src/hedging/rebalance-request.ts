import { roundDown } from '../core/tick-rounding.js';
import { planDriftRebalance } from './drift-rebalance.js';
import { pairImbalance, pairTolerance } from './pair-imbalance.js';

/** Where a queued rebalance stands: queued, being worked by the bot, or finished one way or another. */
export type RebalanceStatus = 'pending' | 'executing' | 'done' | 'refused' | 'failed' | 'expired';

/** How long a queued rebalance may wait to be started when `dnbot rebalance --ttl` does not say (market time). */
export const REBALANCE_TTL_MS = 10 * 60_000;

/** An operator's rebalance, queued by `dnbot rebalance` for the running bot (a `rebalance_requests` row). */
export interface RebalanceRequest {
  readonly id: number;
  readonly botId: string;
  /** Queued at, on the bot's clock (see `actionTime`). */
  readonly ts: number;
  /**
   * Market time after `ts` within which the bot must start it (and may take it up again after a
   * restart); past it the request is `expired` (`--ttl`, default {@link REBALANCE_TTL_MS}).
   */
  readonly ttlMs: number;
  readonly status: RebalanceStatus;
  /** Signed base size each named leg goes to (what the operator was shown). */
  readonly targets: Readonly<Record<string, number>>;
  /** The trades as printed when queued, for the record. */
  readonly plan: Readonly<Record<string, unknown>>;
  /** The pair it was worked on (set when the bot claims it). */
  readonly pairId: string | null;
  /** Plain words: what was done, or why not. */
  readonly outcome: string | null;
  readonly updatedTs: number;
}

/** The open pair a rebalance resizes: its legs, held sizes and marks, and its band. */
export interface RebalancePair {
  readonly id: string;
  readonly longSymbol: string;
  readonly shortSymbol: string;
  /** The pair's notional at entry: its band is `imbalanceTolerance` of it (at least `floorUsd`). */
  readonly targetNotional: number;
  /** Signed base size held per leg. */
  readonly held: (symbol: string) => number;
  readonly mark: (symbol: string) => number | undefined;
  readonly lotSize: (symbol: string) => number;
  /** Short notional per long notional the pair is hedged to (1 unless beta-adjusted). */
  readonly hedgeRatio: number;
  readonly imbalanceTolerance: number;
  /** The larger of the legs' minimum notionals (the smallest imbalance a trade can fix). */
  readonly floorUsd: number;
  /** `execution.driftShare`: |net delta| ÷ gross past which the executor posts an order bringing the legs together (0 or absent: off). */
  readonly driftShare?: number;
  /** The venue's minimums per leg, which decide whether that order can be sent at all. */
  readonly minimums?: (symbol: string) => { readonly minSize: number; readonly minNotional: number };
}

/** How the pair's executor would see the pair after the rebalance: absolute leg sizes to reduce to. */
export type PairRebalance =
  | { readonly ok: true; readonly targets: ReadonlyMap<string, number>; readonly close: boolean; readonly netDeltaAfter: number; readonly toleranceUsd: number }
  | { readonly ok: false; readonly field: string; readonly reason: string };

/**
 * Turns requested signed leg sizes into the absolute sizes the pair is reduced to, or says why the
 * pair cannot take them. A rebalance resizes a running pair, never beside it, so it must leave the
 * pair where its own executor leaves it alone:
 * - a leg left open is at least the venue's minimums (else no order, its exit included, could close it);
 * - every named market is a leg of the pair (a naked position beside a pair is nobody's to manage);
 * - a leg only shrinks, on its own side (growing a pair is an entry: sizing, the RiskGate, the
 *   phase's caps; a flip is a close and an entry);
 * - afterwards the legs are within the pair's band (hedge ratio included) and, with drift
 *   rebalancing on, not so far apart that its post-only order would bring them together; or both
 *   are flat: otherwise the executor trades the pair straight back and the rebalance is undone.
 * Legs not named keep their size. Pure.
 */
export function pairRebalanceTargets(pair: RebalancePair, requested: ReadonlyMap<string, number>): PairRebalance {
  const legs = [pair.longSymbol, pair.shortSymbol];
  const targets = new Map<string, number>();
  for (const [symbol, want] of requested) {
    const field = `--target.${symbol}`;
    if (!legs.includes(symbol)) return { ok: false, field, reason: `not a leg of the open pair ${pair.id} (${legs.join('/')}): a rebalance resizes the running pair and opens nothing beside it` };
    const held = pair.held(symbol);
    if (held === 0) return { ok: false, field, reason: `pair ${pair.id} holds no ${symbol}: a rebalance only reduces, growing a pair is an entry (sizing, the RiskGate)` };
    if (want !== 0 && Math.sign(want) !== Math.sign(held)) return { ok: false, field, reason: `would flip ${symbol} from ${held} to ${want}: a rebalance only reduces; close the pair and let the bot re-enter` };
    const lot = pair.lotSize(symbol);
    if (Math.abs(want) > Math.abs(held) + lot / 2) return { ok: false, field, reason: `${Math.abs(want)} is more than the ${Math.abs(held)} held: a rebalance only reduces; to grow, raise bots[].baseNotionalUsd and let the bot size its entries` };
    const target = roundDown(Math.min(Math.abs(want), Math.abs(held)), lot);
    // A leg left under the venue's minimums could never be closed by an order (its exit included).
    const min = pair.minimums?.(symbol);
    const mark = pair.mark(symbol);
    if (min && target > 0 && (target < min.minSize || (mark !== undefined && target * mark < min.minNotional))) {
      return { ok: false, field, reason: `would leave ${target} ${symbol}${mark === undefined ? '' : ` ($${(target * mark).toFixed(2)})`}, under the venue's minimum (size ${min.minSize}, $${min.minNotional}): no order could close it; leave more, or take both legs to 0 to close the pair` };
    }
    targets.set(symbol, target);
  }
  for (const s of legs) if (!targets.has(s)) targets.set(s, Math.abs(pair.held(s)));
  const toleranceUsd = pairTolerance(pair.targetNotional, pair.imbalanceTolerance, pair.floorUsd);
  const close = legs.every((s) => targets.get(s) === 0);
  const notional = (s: string): number | null => {
    const size = targets.get(s)!;
    if (size === 0) return 0;
    const mark = pair.mark(s);
    return mark === undefined ? null : size * mark;
  };
  const long = notional(pair.longSymbol);
  const short = notional(pair.shortSymbol);
  if (long === null || short === null) return { ok: false, field: '--target', reason: `no mark yet for a leg of pair ${pair.id}` };
  const imb = pairImbalance({ longNotional: long * pair.hedgeRatio, shortNotional: short }, toleranceUsd);
  if (!close && !imb.within) {
    return {
      ok: false,
      field: '--target',
      reason: `would leave pair ${pair.id} ${imb.netDelta > 0 ? 'long' : 'short'} $${Math.abs(imb.netDelta).toFixed(2)}, outside its band of ±$${toleranceUsd.toFixed(2)}: its executor would trade it straight back; resize both legs together (short notional ${pair.hedgeRatio === 1 ? '=' : `= ${pair.hedgeRatio.toFixed(3)} ×`} long notional)`,
    };
  }
  // The executor's drift rebalancer would post an order putting the legs back together at once.
  const share = pair.driftShare ?? 0;
  if (!close && share > 0) {
    const leg = (s: string) => ({ size: targets.get(s)!, mark: pair.mark(s)!, lotSize: pair.lotSize(s), ...(pair.minimums?.(s) ?? { minSize: 0, minNotional: 0 }) });
    const drift = planDriftRebalance({ long: leg(pair.longSymbol), short: leg(pair.shortSymbol), hedgeRatio: pair.hedgeRatio, share, targetGrossUsd: 2 * pair.targetNotional });
    if (drift) {
      return {
        ok: false,
        field: '--target',
        reason: `would leave pair ${pair.id}'s legs $${Math.abs(drift.deltaUsd).toFixed(2)} apart, over execution.driftShare (${share * 100}%) of its gross ($${drift.thresholdUsd.toFixed(2)}): its executor would post an order bringing them back together; resize both legs together`,
      };
    }
  }
  return { ok: true, targets, close, netDeltaAfter: imb.netDelta, toleranceUsd };
}
