import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/cli/pino-logger.js';

describe('createLogger', () => {
  it('writes pretty lines through a sink (the progress bar\'s), with the market time', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', pretty: true, sink: { write: (l: string) => lines.push(l) }, time: () => Date.UTC(2026, 0, 1, 0, 5) });
    logger.info({ bot: 'dn-eth-sol' }, 'pair_open');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.join('')).toMatch(/2026-01-01 00:05:00.*INFO.*pair_open/);
  });
});
