import { describe, expect, it } from 'vitest';
import { pathBand, formatBand, type PathResult } from '../../../src/metrics/path-band.js';
import { costTermsBps, formatTargets, judgeVolumeTargets } from '../../../src/metrics/volume-targets.js';

const costs = (makerSpreadUsd: number) => ({ feesMakerUsd: -10, feesTakerUsd: -20, takerSpreadUsd: -5, makerSpreadUsd, makerAdverseUsd: 8, hedgeUsd: -1, fundingUsd: 0, marketMoveUsd: -2, netPnlUsd: 0 });
const path = (p: Partial<PathResult>): PathResult => ({ label: 'bridge seed 1', intrabar: 'bridge', pathSeed: 1, volumeUsd: 300_000, netBpsPerVolume: -1.5, pnlUsd: -45, makerShare: 0.75, roundTrips: 100, maxNakedUsd: 100, maxGrossUsd: 2_000, twAbsNetDeltaShare: 0.008, costs: costs(-60), ...p });

describe('judgeVolumeTargets', () => {
  it('passes a band that meets every target, judging medians on the median and bounds on the worst path', () => {
    const paths = [path({}), path({ pathSeed: 2, netBpsPerVolume: -1.9, maxNakedUsd: 104 }), path({ label: 'adverse', intrabar: 'adverse', pathSeed: null, netBpsPerVolume: -6, makerShare: 0.6, twAbsNetDeltaShare: 0.02 })];
    const v = judgeVolumeTargets(paths, pathBand(paths), { sliceUsd: 100, days: 14 });
    expect(v.map((x) => [x.target, x.pass])).toEqual([
      ['median net bps per volume', true],
      ['maker share of notional', true],
      ['max naked exposure, USD', true],
      ['max naked exposure ÷ max gross', true],
      ['time-weighted |net delta| ÷ gross', true],
      ['volume a day (phase 1), USD', true],
    ]);
    expect(v[0]!.band).toEqual({ min: -6, median: -1.9, max: -1.5 });
    expect(v[2]!.actual).toBe(104);
  });

  it('fails each target on its own: net, maker share, a naked leg above a slice or 10% of gross, |Δ|, volume', () => {
    const bad = [path({ netBpsPerVolume: -2.1, makerShare: 0.69, maxNakedUsd: 106, maxGrossUsd: 1_000, twAbsNetDeltaShare: 0.011, volumeUsd: 250_000 })];
    const v = judgeVolumeTargets(bad, pathBand(bad), { sliceUsd: 100, days: 14 });
    expect(v.every((x) => !x.pass)).toBe(true);
    expect(formatTargets(v)[0]).toBe('FAIL  median net bps per volume: median -2.10 (band -2.10 / -2.10 / -2.10; required >= -2.0)');
    // A path without neutrality figures cannot pass the neutrality targets.
    const { maxNakedUsd: _n, maxGrossUsd: _g, twAbsNetDeltaShare: _t, ...rest } = path({});
    const blind: PathResult[] = [rest];
    const w = judgeVolumeTargets(blind, pathBand(blind), { sliceUsd: 100, days: 14 });
    expect(w.slice(2, 5).map((x) => x.pass)).toEqual([false, false, false]);
  });

  it('names the cost terms in bps of volume, largest loss first', () => {
    const terms = costTermsBps([path({}), path({ costs: costs(-90) }), path({ costs: costs(-30) })]);
    expect(terms[0]).toEqual({ term: 'makerSpreadUsd', bps: -2 });
    expect(terms.at(-1)!.term).toBe('makerAdverseUsd');
  });

  it('the band table shows max naked and time-weighted |net delta| when the runs reported them', () => {
    const lines = formatBand([path({})], pathBand([path({})]));
    expect(lines[0]).toMatch(/max naked\s+tw \|net delta\|$/);
    expect(lines[1]).toMatch(/\$100\s+0\.8%$/);
  });
});
