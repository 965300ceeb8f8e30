import type { Notification } from './notification.js';

/** How a send ended: delivered, or failed and worth retrying (network, 5xx, 429) or not. */
export type SendResult = { readonly ok: true } | { readonly ok: false; readonly retryable: boolean; readonly retryAfterMs?: number; readonly status?: number };

/** A destination for notifications. Its address and secrets stay inside it (never in a message or a log). */
export interface NotifyChannel {
  /** A name for logs: never the URL or token. */
  readonly name: string;
  send(n: Notification): Promise<SendResult>;
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

const TIMEOUT_MS = 10_000;

async function post(fetchFn: FetchLike, url: string, body: unknown): Promise<SendResult> {
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    // Network error or timeout: the message did not (knowingly) arrive. Never log the error: it may carry the URL.
    return { ok: false, retryable: true };
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 200 && res.status < 300) return { ok: true };
  const retryAfterS = Number(res.headers.get('retry-after') ?? parseTelegramRetryAfter(text) ?? Number.NaN);
  return {
    ok: false,
    retryable: res.status === 429 || res.status >= 500,
    status: res.status,
    ...(Number.isFinite(retryAfterS) && retryAfterS > 0 ? { retryAfterMs: retryAfterS * 1000 } : {}),
  };
}

/** Telegram answers 429 with `parameters.retry_after` (seconds) in its JSON body. */
function parseTelegramRetryAfter(body: string): number | null {
  try {
    const v = (JSON.parse(body) as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
}

const ICON: Record<Notification['severity'], string> = { critical: '🔴', warning: '🟠', info: '🟢' };

/** Telegram's Bot API `sendMessage` (https://core.telegram.org/bots/api#sendmessage), plain text. */
export class TelegramChannel implements NotifyChannel {
  readonly name = 'telegram';
  constructor(private readonly o: { token: string; chatId: string; apiBaseUrl: string; fetch?: FetchLike }) {}

  send(n: Notification): Promise<SendResult> {
    const text = `${ICON[n.severity]} dnbot ${n.venue}${n.bot ? ` ${n.bot}` : ''}: ${n.title}${n.text ? `\n${n.text}` : ''}`;
    const url = `${this.o.apiBaseUrl.replace(/\/+$/, '')}/bot${this.o.token}/sendMessage`;
    return post(this.o.fetch ?? (fetch as unknown as FetchLike), url, { chat_id: this.o.chatId, text: text.slice(0, 4_000), disable_web_page_preview: true });
  }
}

/** A generic JSON webhook: one POST per notification with its fields (time as ISO, market time). */
export class WebhookChannel implements NotifyChannel {
  readonly name = 'webhook';
  constructor(private readonly o: { url: string; fetch?: FetchLike }) {}

  send(n: Notification): Promise<SendResult> {
    return post(this.o.fetch ?? (fetch as unknown as FetchLike), this.o.url, { source: 'dnbot', kind: n.kind, severity: n.severity, title: n.title, text: n.text, time: new Date(n.ts).toISOString(), venue: n.venue, bot: n.bot ?? null, data: n.data ?? {} });
  }
}

/** The variables the channels read (listed in .env.example). */
export const NOTIFY_ENV = {
  telegramToken: 'DNBOT_TELEGRAM_BOT_TOKEN',
  telegramChat: 'DNBOT_TELEGRAM_CHAT_ID',
  telegramApi: 'DNBOT_TELEGRAM_API_URL',
  webhookUrl: 'DNBOT_WEBHOOK_URL',
} as const;

/** The channels configured in the environment: Telegram needs a token and a chat id; the webhook a URL. */
export function channelsFromEnv(env: Readonly<Record<string, string | undefined>>, fetchFn?: FetchLike): NotifyChannel[] {
  const out: NotifyChannel[] = [];
  const token = env[NOTIFY_ENV.telegramToken];
  const chat = env[NOTIFY_ENV.telegramChat];
  if (token && chat) out.push(new TelegramChannel({ token, chatId: chat, apiBaseUrl: env[NOTIFY_ENV.telegramApi] || 'https://api.telegram.org', ...(fetchFn ? { fetch: fetchFn } : {}) }));
  const hook = env[NOTIFY_ENV.webhookUrl];
  if (hook) out.push(new WebhookChannel({ url: hook, ...(fetchFn ? { fetch: fetchFn } : {}) }));
  return out;
}
