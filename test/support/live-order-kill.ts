/**
 * A live-mode process killed with SIGKILL the instant an order's request leaves: run as
 * `node --import tsx live-order-kill.ts DB`. First writes bookkeeping past SQLite's automatic
 * checkpoint threshold (1,000 pages), so every row is in the WAL only, then submits one order; the
 * fake venue kills the process when it receives the request. Prints the order's id first.
 */
import { writeSync } from 'node:fs';
import { Store } from '../../src/store/store.js';
import { intent, makeHarness, runFor } from '../unit/execution/order-manager-fixture.js';

const path = process.argv[2]!;
const store = Store.open(path);
store.checkpoints.startLive(0);
const h = makeHarness({ store });
const blob = 'x'.repeat(3_000);
for (let i = 0; i < 1_500; i++) store.transaction(() => store.events.record(i, 'bot1', 'bookkeeping', { blob }));
h.venue.beforePlace = (req) => {
  writeSync(1, `${req.clientOrderId}\n`);
  process.kill(process.pid, 'SIGKILL'); // synchronous: nothing runs after it
};
h.om.submit(intent());
await runFor(h.clock, 0);
