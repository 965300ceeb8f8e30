import { botMargin, type BotMargin } from '../risk/bot-margin.js';
import type { MarginPosition } from '../risk/liquidation-margin.js';
import type { Store } from '../store/store.js';
import type { LedgerTotalsReader } from '../engine/ledger-totals.js';

/** How many fills and closed round trips the status document carries per bot. */
export const RECENT_FILLS = 20;
export const RECENT_TRADES = 10;

/**
 * A bot's trading activity for the dashboard: its latest fills and closed round trips, what it
 * paid in fees and funding over its whole history, and its leverage and liquidation prices now.
 */
export interface BotActivity {
  readonly fills: readonly {
    readonly ts: number;
    readonly symbol: string;
    readonly side: 'buy' | 'sell';
    readonly size: number;
    readonly price: number;
    readonly fee: number;
    readonly liquidity: 'maker' | 'taker';
    readonly purpose: string;
    readonly pairId: string | null;
  }[];
  readonly trades: readonly {
    readonly id: string;
    readonly longSymbol: string;
    readonly shortSymbol: string;
    readonly targetNotional: number;
    readonly openTs: number;
    readonly exitTs: number | null;
    readonly exitReason: string | null;
    readonly fees: number | null;
    /** Net of fees. */
    readonly realizedPnl: number | null;
  }[];
  readonly costs: {
    /** Every fill's fee, all days. */
    readonly feesUsd: number;
    /** Realised PnL before fees, all days. */
    readonly realizedGrossUsd: number;
    /**
     * Funding paid over the bot's history (negative: received), derived as the report does:
     * realised − fees − change in collateral since the first snapshot. Null before two snapshots.
     */
    readonly fundingUsd: number | null;
  };
  readonly margin: BotMargin & {
    /** The equity leverage and liquidation are measured against: the bot's latest snapshot. */
    readonly equity: number | null;
    /** Marks of the positions, in the order of `liquidation`. */
    readonly marks: readonly { readonly symbol: string; readonly mark: number }[];
    /** Open positions left out: no mark or no instrument (maintenance margin ratio) known yet. */
    readonly unpriced: readonly string[];
  };
}

/**
 * Reads a bot's {@link BotActivity} from SQLite. Bounded reads only (the status API builds this
 * on every push): the latest fills and trades from the end of their indexes, one snapshot at each
 * end, and the sums over the daily rows from `totals` when the caller keeps them (else summed once).
 */
export function botActivity(store: Store, bot: { readonly id: string; readonly venue: string }, allowedLeverage: number, totals?: LedgerTotalsReader): BotActivity {
  const daily = totals?.bot(bot.id).daily;
  const sums = daily
    ? { pnl: daily.realizedPnlUsd, fees: daily.feesUsd }
    : (store.db.prepare('SELECT COALESCE(SUM(realized_pnl), 0) AS pnl, COALESCE(SUM(fees_usd), 0) AS fees FROM daily_volume WHERE bot_id = ?').get(bot.id) as { pnl: number; fees: number });
  const first = store.snapshots.firstEquity(bot.id);
  const last = store.snapshots.latestEquity(bot.id);
  const marks = new Map(store.snapshots.marks(bot.venue).map((m) => [m.symbol, m.price]));
  const instruments = store.instruments.list(bot.venue);
  const priced: MarginPosition[] = [];
  const unpriced: string[] = [];
  for (const p of store.positions.list(bot.id, bot.venue)) {
    if (p.size === 0) continue;
    const mark = marks.get(p.symbol);
    const instrument = instruments.get(p.symbol);
    if (mark === undefined || !instrument) unpriced.push(p.symbol);
    else priced.push({ symbol: p.symbol, size: p.size, mark, maintenanceMarginRatio: instrument.maintenanceMarginRatio });
  }
  const equity = last?.equity ?? null;
  return {
    fills: store.fills.recentForBot(bot.id, RECENT_FILLS).map((f) => ({ ts: f.ts, symbol: f.symbol, side: f.side, size: f.size, price: f.price, fee: f.fee, liquidity: f.liquidity, purpose: f.purpose, pairId: f.pairId })),
    trades: store.roundTrips.recentClosed(bot.id, RECENT_TRADES).map((t) => ({
      id: t.id,
      longSymbol: t.longSymbol,
      shortSymbol: t.shortSymbol,
      targetNotional: t.targetNotional,
      openTs: t.openTs ?? t.entryTs,
      exitTs: t.exitTs,
      exitReason: t.exitReason,
      fees: t.fees,
      realizedPnl: t.realizedPnl,
    })),
    costs: {
      feesUsd: sums.fees,
      realizedGrossUsd: sums.pnl,
      fundingUsd: first && last && last.ts > first.ts ? sums.pnl - sums.fees - (last.collateral - first.collateral) : null,
    },
    margin: {
      ...botMargin({ equity: equity ?? 0, positions: priced, allowedLeverage }),
      equity,
      marks: priced.map((p) => ({ symbol: p.symbol, mark: p.mark })),
      unpriced,
    },
  };
}
