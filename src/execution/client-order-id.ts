/**
 * Client order ids: `<prefix><sequence in base 36>`, the sequence persisted in SQLite so an id is
 * never reused across restarts or crashes. Short enough for every venue we map (≤ 32 chars).
 */
export function formatClientOrderId(prefix: string, seq: number): string {
  return `${prefix}${seq.toString(36).padStart(6, '0')}`;
}

/** A prefix safe for venues that allow only [A-Za-z0-9-]: the bot id squeezed to 12 chars. */
export function clientOrderIdPrefix(botId: string): string {
  const clean = botId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
  return `${clean || 'bot'}-`;
}
