import { describe, expect, it } from 'vitest';
import { ErrorCodes, isDnbotError } from '../../../src/core/errors.js';
import { Store } from '../../../src/store/store.js';
import { intent, makeHarness, runFor } from './order-manager-fixture.js';

describe('client order ids across restarts', () => {
  it('a restarted order manager on the same database never repeats an id (the sequence is in SQLite)', async () => {
    const store = Store.open(':memory:');
    const ids: string[] = [];
    for (let run = 0; run < 3; run++) {
      // A new process: a new OrderManager, same file, same prefix.
      const h = makeHarness({ store });
      for (let i = 0; i < 5; i++) ids.push(h.om.submit(intent()).clientOrderId);
      await runFor(h.clock, 1_000);
    }
    expect(new Set(ids).size).toBe(ids.length);
    store.close();
  });

  it('an id already taken is refused with E_ORDER_DUPLICATE_CLIENT_ID and stops the manager: never swallowed', () => {
    const h = makeHarness();
    const first = h.om.submit(intent());
    // What an id counter that restarted from zero would do.
    h.store.db.prepare('UPDATE id_sequences SET value = value - 1').run();
    let caught: unknown = null;
    try {
      h.om.submit(intent());
    } catch (err) {
      caught = err;
    }
    expect(isDnbotError(caught) && caught.code).toBe(ErrorCodes.ORDER_DUPLICATE_CLIENT_ID);
    expect(h.om.fatal()?.code).toBe(ErrorCodes.ORDER_DUPLICATE_CLIENT_ID);
    expect(h.om.fatal()?.details['clientOrderId']).toBe(first.clientOrderId);
    // Later submits refuse too, even with a fresh id.
    h.store.db.prepare('UPDATE id_sequences SET value = value + 10').run();
    expect(() => h.om.submit(intent())).toThrow(/already used/);
    h.store.close();
  });
});
