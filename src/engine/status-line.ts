import type { DailyVolume } from '../store/daily-volume-repository.js';
import type { StatusSnapshot } from './runtime.js';

const usd = (v: number): string =>
  `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * One human line: market time, equity, net delta, open pairs, today's volume, fees, and today's
 * trading PnL (PnL booked by today's fills, minus today's fees). "Realised PnL" is kept for one
 * thing only: closed pairs' PnL net of fees (the run summary, the report).
 */
export function formatStatusLine(s: StatusSnapshot, today: DailyVolume, targetUsd: number): string {
  const t = new Date(s.ts).toISOString().replace('T', ' ').slice(0, 19);
  return (
    `[${t}] equity ${usd(s.account.equity)} | net Δ ${usd(s.netDeltaUsd)} | gross ${usd(s.grossNotionalUsd)} | ` +
    `open pairs ${s.openPairs} | vol today ${usd(today.volumeUsd)} / ${usd(targetUsd)} | ` +
    `fees ${usd(today.feesUsd)} | trading PnL today ${usd(today.realizedPnl - today.feesUsd)}`
  );
}

export { usd as formatUsd };

/** The status line's key figures, short enough to sit beside a progress bar. */
export function formatStatusBrief(s: StatusSnapshot, today: DailyVolume, targetUsd: number): string {
  const t = new Date(s.ts).toISOString().replace('T', ' ').slice(0, 16);
  return `${t} equity ${usd(s.account.equity)} Δ ${usd(s.netDeltaUsd)} pairs ${s.openPairs} vol ${usd(today.volumeUsd)}/${usd(targetUsd)}`;
}
