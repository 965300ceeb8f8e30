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
  const neg = s.charCodeAt(0) === 45;
  const digits = neg ? s.slice(1) : s;
  // Place the decimal point in the string: Number() of it is the correctly rounded double
  // (no BigInt on the hot path of book frames).
  const n = digits.length > 18 ? Number(`${digits.slice(0, -18)}.${digits.slice(-18)}`) : Number(`0.${digits.padStart(18, '0')}`);
  return neg ? -n : n;
}

/** |raw| of an x18 integer string, as its exact decimal string; null for anything that is not an integer string. */
export function absX18(raw: unknown): string | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const s = String(raw);
  if (!/^-?\d+$/.test(s)) return null;
  const v = BigInt(s);
  return (v < 0n ? -v : v).toString();
}

/** |a| − |b| of two x18 integer strings, exactly (e.g. an order's filled size: original − remaining); null when either is malformed or the result is negative. */
export function absDiffX18(a: unknown, b: unknown): string | null {
  const x = absX18(a);
  const y = absX18(b);
  if (x === null || y === null) return null;
  const d = BigInt(x) - BigInt(y);
  return d < 0n ? null : d.toString();
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
  const neg = value < 0;
  const shortest = String(Math.abs(value));
  // The shortest decimal that round-trips (223.95, not 223.9499999…), unless it is in exponent form.
  const s = shortest.includes('e') ? Math.abs(value).toFixed(18) : shortest;
  const [w, f = ''] = s.split('.');
  const v = BigInt(w!) * SCALE + BigInt((f + '0'.repeat(18)).slice(0, 18));
  return (neg && v !== 0n ? '-' : '') + v.toString();
}
