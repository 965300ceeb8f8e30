/**
 * Client order ids: `<bot>-<namespace>-<sequence in base 36>`, the sequence persisted in SQLite so
 * an id is never reused across restarts or crashes, the namespace so it is not reused across
 * databases either: a venue that takes our id as its idempotency key (Coinbase's
 * `client_order_id`) would refuse a second order with an id an earlier database already sent, or
 * answer with that old order. Short enough for every venue we map (≤ 32 chars).
 */
export function formatClientOrderId(prefix: string, seq: number): string {
  return `${prefix}${seq.toString(36).padStart(6, '0')}`;
}

/** Characters of a namespace: 36⁴ ≈ 1.7 million per bot id. */
const NAMESPACE_CHARS = 4;
const NAMESPACE_SPACE = 36 ** NAMESPACE_CHARS;

/**
 * A prefix safe for venues that allow only [A-Za-z0-9-]: the bot id squeezed to 12 chars, then
 * the namespace when there is one.
 */
export function clientOrderIdPrefix(botId: string, namespace?: string): string {
  const clean = botId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
  return namespace === undefined ? `${clean || 'bot'}-` : `${clean || 'bot'}-${namespace}-`;
}

/** The namespace written for a number (any integer; taken modulo the namespace space). */
export function orderIdNamespace(n: number): string {
  const v = ((Math.trunc(n) % NAMESPACE_SPACE) + NAMESPACE_SPACE) % NAMESPACE_SPACE;
  return v.toString(36).padStart(NAMESPACE_CHARS, '0');
}

/**
 * The namespace of a simulated or replayed run: a function of its seed, so the same seed writes
 * the same orders byte for byte (those ids never leave the process).
 */
export function seededOrderIdNamespace(seed: number): string {
  // A multiplicative hash spreads neighbouring seeds apart.
  return orderIdNamespace(Math.imul(seed | 0, 0x9e3779b1) >>> 0);
}

/** How many namespaces there are: a database's is drawn uniformly from [0, this). */
export const ORDER_ID_NAMESPACES = NAMESPACE_SPACE;
