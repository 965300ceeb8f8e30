/** Any UTF-16 surrogate: SQLite stores TEXT as UTF-8, so a lone one comes back as U+FFFD. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Whether a TEXT column gives `s` back as written. Conservative: a string with any surrogate,
 * even a valid pair, is answered false (the caller then stores or reads it another way).
 */
export function keptAsText(s: string): boolean {
  return !SURROGATE.test(s);
}
