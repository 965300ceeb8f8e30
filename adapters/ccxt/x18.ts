/**
 * Nado's fixed-point numbers: integers scaled by 1e18, sent as decimal strings (prices, sizes,
 * fees, weights). Parsing goes through BigInt so no precision is lost before the final division.
 */
const SCALE = 10n ** 18n;

/** An x18 decimal string → a number; null for anything that is not an integer string. */
export function fromX18(raw: unknown): number | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const s = String(raw);
  if (!/^-?\d+$/.test(s)) return null;
  const v = BigInt(s);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / SCALE;
  const frac = a % SCALE;
  const n = Number(whole) + Number(frac) / 1e18;
  return neg ? -n : n;
}

/** Nanosecond timestamp string → ms number; null when malformed. */
export function nsToMs(raw: unknown): number | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const s = String(raw);
  if (!/^\d+$/.test(s)) return null;
  return Number(BigInt(s) / 1_000_000n);
}

/** A decimal number → its x18 integer string (exact for decimals with ≤ 18 places). */
export function toX18(value: number): string {
  const s = value.toFixed(18);
  const neg = s.startsWith('-');
  const [w, f = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(w!) * SCALE + BigInt((f + '0'.repeat(18)).slice(0, 18));
  return (neg && v !== 0n ? '-' : '') + v.toString();
}
