import { randomInt } from 'node:crypto';
import { clientOrderIdPrefix, ORDER_ID_NAMESPACES, orderIdNamespace, seededOrderIdNamespace } from '../execution/client-order-id.js';
import type { Store } from '../store/store.js';

/** The counter row that holds a database's order-id namespace (set once, never advanced). */
const NAMESPACE_ROW = 'coid-namespace';

export interface OrderIdPrefixOptions {
  readonly store: Store;
  readonly botIds: readonly string[];
  /** Orders go to (or are matched against) a real venue's account: ids must not repeat across databases. */
  readonly realVenue: boolean;
  readonly seed: number;
  /** Draws a database's namespace, uniform in [0, n) (default: crypto). */
  readonly randomBelow?: (n: number) => number;
}

/**
 * The client-order-id prefix of a run. On a real venue: the bots' ids and a namespace drawn once
 * per database and stored, so a fresh database never sends an id an earlier one sent on the same
 * account. On the simulated market or a replay: a namespace from the seed, so the same seed writes
 * the same orders byte for byte.
 */
export function orderIdPrefix(o: OrderIdPrefixOptions): string {
  const bots = o.botIds.join('');
  if (!o.realVenue) return clientOrderIdPrefix(bots, seededOrderIdNamespace(o.seed));
  const draw = o.randomBelow ?? ((n: number) => randomInt(n));
  const value = o.store.sequences.once(NAMESPACE_ROW, () => draw(ORDER_ID_NAMESPACES));
  return clientOrderIdPrefix(bots, orderIdNamespace(value));
}
