import { afterAll, bench, describe } from 'vitest';
import { closeAll, dnbotRunner, floorRunner, N, pairedRatios } from './persistence-workload.js';

// 1,000 orders (500 entries of two legs) each with one fill, in memory and on a WAL file
// (synchronous = NORMAL, as dnbot opens its database). Ratio = our overhead over the floor: the
// same logical writes on the same schema with raw statements (see persistence-workload.ts).
// Both sides run the same number of times, so their tables grow alike. Then, on fresh databases,
// 9 back-to-back pairs print the median ratio, wall and CPU: the figure to read on a busy machine.
const RUNS = { time: 0, iterations: 12, warmupTime: 0, warmupIterations: 2 };
afterAll(() => {
  // The ratios that hold on a busy machine: each OrderManager run right after a floor run.
  for (const where of ['memory', 'wal'] as const) {
    const r = pairedRatios(where, 9);
    const f = (x: number): string => `${x.toFixed(2)}x`;
    console.log(`persistence ${where}, ${r.pairs} back-to-back pairs: OrderManager / floor = ${f(r.wall)} wall, ${f(r.cpu)} CPU (median; CPU ${f(r.cpuRange[0])}-${f(r.cpuRange[1])})`);
  }
  closeAll();
});

for (const where of ['memory', 'wal'] as const) {
  describe(`persist ${N} orders and their fills, ${where === 'memory' ? 'in memory' : 'on a WAL file'}`, () => {
    bench('floor: raw better-sqlite3 statements, same writes and schema', floorRunner(where), RUNS);
    bench('OrderManager: write-ahead order rows, fill booking with position and daily volume', dnbotRunner(where), RUNS);
  });
}
