import type { Notification } from './notification.js';

/** Environment variables whose values are secrets or carry them (webhook URLs, RPC URLs with keys). */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSPHRASE|PRIVATE|KEYPAIR|URL)/i;

/** The secret values present in the environment (8 characters or more: shorter ones are not keys). */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_NAME.test(k) && typeof v === 'string' && v.length >= 8)
    .map(([, v]) => v!)
    .sort((a, b) => b.length - a.length);
}

/**
 * A notification with every secret value of the environment replaced, wherever it hides (an
 * error message quoting a URL, a reason echoing a key): the last line of defence, since a message
 * leaves the machine.
 */
export function scrubSecrets(n: Notification, secrets: readonly string[]): Notification {
  if (secrets.length === 0) return n;
  const scrub = (s: string): string => secrets.reduce((acc, v) => acc.split(v).join('[redacted]'), s);
  const data = n.data === undefined ? undefined : (JSON.parse(scrub(JSON.stringify(n.data))) as Record<string, unknown>);
  return { ...n, title: scrub(n.title), text: scrub(n.text), ...(data ? { data } : {}) };
}
