import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bench, describe } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { replayBand } from '../../src/cli/replay-band.js';
import { formatBandLine } from '../../src/metrics/path-band.js';
import { costTermsBps, formatTargets, judgeVolumeTargets } from '../../src/metrics/volume-targets.js';

// The cheap-volume targets on May 2021 (the test month: configurations are tuned on April only),
// on the honest replay (bridge paths at 12 points a minute, latency, queue and volume caps, Nado's
// entry-tier fees) as a band: 3 seeded bridge paths plus the adverse path. Prints PASS or FAIL per
// target with its band, and the cost terms in bps of volume; it does not fail the run (the verdict
// is the report). The configuration: DNBOT_BENCH_CONFIG, else config/examples/volume-phase1.json
// (volume mode at phase 1's $20,000 a day, tuned on April 2021 only: the targets are judged at
// that volume). DNBOT_BENCH_TO (ISO date) shortens the window; DNBOT_BENCH_PATHS the number of
// bridge paths. Several minutes on 2 cores.
const DATA = resolve(process.cwd(), '../shared/data/candles/binance-spot-2021-1m');
const present = existsSync(join(DATA, 'ETH_USDT-1m.json'));
if (!present) console.warn(`skipping the volume targets bench: ${DATA} not found (../shared beside the checkout)`);
const config = process.env['DNBOT_BENCH_CONFIG'] ?? resolve(process.cwd(), 'config/examples/volume-phase1.json');
const from = '2021-05-01';
const to = process.env['DNBOT_BENCH_TO'];
const paths = Number(process.env['DNBOT_BENCH_PATHS'] ?? 3);

const quiet: CliIo = { out: () => undefined, err: () => undefined, stdoutIsTty: false, stderrIsTty: false };

function sliceUsd(): number {
  const raw = JSON.parse(readFileSync(config, 'utf8')) as { execution?: { sliceUsd?: number } };
  return raw.execution?.sliceUsd ?? 100;
}

describe.skipIf(!present)('cheap-volume targets on May 2021, as a band', () => {
  bench(
    `${config.replace(`${process.cwd()}/`, '')} over ${paths} bridge paths + adverse`,
    async () => {
      const b = await replayBand(config, { data: [join(DATA, 'ETH_USDT-1m.json'), join(DATA, 'SOL_USDT-1m.json')], from, ...(to ? { to } : {}), logLevel: 'silent' }, paths, quiet, 'targets');
      const days = b.marketStart && b.marketEnd ? (Date.parse(b.marketEnd) - Date.parse(b.marketStart)) / 86_400_000 : 0;
      const verdicts = judgeVolumeTargets(b.paths, b.band, { sliceUsd: sliceUsd(), days });
      const lines = [
        `volume targets: ${b.config}, ${b.marketStart} → ${b.marketEnd} (${days.toFixed(1)} days), Nado entry-tier fees`,
        `  ${formatBandLine(b.band)}`,
        ...formatTargets(verdicts).map((l) => `  ${l}`),
        `  ${verdicts.filter((v) => v.pass).length} of ${verdicts.length} met`,
        `  cost terms, bps of volume (median over paths): ${costTermsBps(b.paths).map((c) => `${c.term.replace(/Usd$/, '')} ${c.bps.toFixed(2)}`).join(', ')}`,
      ];
      console.log(lines.join('\n'));
    },
    { iterations: 1, warmupIterations: 0, time: 0 },
  );
});
