import { existsSync } from 'node:fs';
import { ConfigError, ErrorCodes } from '../core/errors.js';
import type { Order, OrderStatus } from '../core/types.js';
import { Store } from '../store/store.js';
import { EXIT_OK, type CliIo } from './cli-io.js';

export interface OrdersFlags {
  db: string;
  bot?: string;
  status?: string;
  limit?: string;
  json?: boolean;
}

const STATUSES: readonly OrderStatus[] = ['pending_submit', 'open', 'partially_filled', 'filled', 'cancel_pending', 'canceled', 'rejected', 'expired', 'unknown'];

/** Opens an existing database read-mostly; a missing file is a usage error, not a new empty db. */
export function openExisting(path: string): Store {
  if (!existsSync(path)) throw new ConfigError('--db', `no database at ${path}`, ErrorCodes.CLI_USAGE);
  return Store.open(path);
}

const fmtTs = (ts: number): string => new Date(ts).toISOString().replace('T', ' ').slice(0, 19);
const num = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : String(Number(v.toFixed(8))));

function orderLine(o: Order): string {
  return [
    fmtTs(o.createdTs),
    o.clientOrderId,
    o.botId,
    o.purpose.padEnd(11),
    o.symbol,
    o.side.padEnd(4),
    `${o.type}/${o.tif}`.padEnd(16),
    `px ${num(o.price)}`,
    `size ${num(o.size)}`,
    `filled ${num(o.filledSize)}`,
    `avg ${num(o.avgFillPrice)}`,
    o.status + (o.rejectReason ? ` (${o.rejectReason})` : ''),
    o.pairId ?? '',
  ].join('  ');
}

/** `dnbot orders`: every order with status, purpose and the sizing trace that made its size. */
export function ordersCommand(f: OrdersFlags, io: CliIo): number {
  if (f.status !== undefined && !STATUSES.includes(f.status as OrderStatus)) {
    throw new ConfigError('--status', `unknown status "${f.status}"; allowed: ${STATUSES.join(', ')}`, ErrorCodes.CLI_USAGE);
  }
  const limit = f.limit === undefined ? undefined : Number(f.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
    throw new ConfigError('--limit', `expected a positive integer, got "${f.limit}"`, ErrorCodes.CLI_USAGE);
  }
  const store = openExisting(f.db);
  try {
    const orders = store.orders.list({
      ...(f.bot !== undefined ? { botId: f.bot } : {}),
      ...(f.status !== undefined ? { status: f.status as OrderStatus } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    if (f.json) {
      io.out(JSON.stringify(orders));
      return EXIT_OK;
    }
    if (orders.length === 0) io.out('no orders');
    for (const o of orders) {
      io.out(orderLine(o));
      for (const s of o.sizingTrace) io.out(`    ${s.step.padEnd(18)} ${num(s.input)} → ${num(s.output)}  ${s.reason}`);
    }
    return EXIT_OK;
  } finally {
    store.close();
  }
}
