import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, type BotMetrics, type MetricsSource } from '../../../src/api/metrics-registry.js';

interface Family {
  type: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/** A small parser of the Prometheus text exposition format (0.0.4). */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const familyOf = (sample: string): Family | undefined =>
    families.get(sample) ?? families.get(sample.replace(/_(bucket|sum|count)$/, ''));
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('# HELP')) continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      expect(families.has(type[1]!), `family ${type[1]} declared twice`).toBe(false);
      families.set(type[1]!, { type: type[2]!, samples: [] });
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    expect(m, `unparseable line: ${line}`).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const l of (m![2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    const fam = familyOf(m![1]!);
    expect(fam, `sample ${m![1]} without a TYPE`).toBeDefined();
    fam!.samples.push({ name: m![1]!, labels, value: Number(m![3]) });
  }
  return families;
}

const bot = (id: string): BotMetrics => ({
  bot: id,
  venue: 'sim',
  phase: 2,
  halted: id === 'b2',
  breakersTripped: 0,
  riskMultiplier: 1.25,
  realisedPnlUsd: -3.5,
  feesUsd: 1.2,
  volumeTodayUsd: 5_000,
  openPairs: 1,
  positions: [
    { symbol: 'ETH-PERP', size: -0.2, notionalUsd: -600 },
    { symbol: 'SOL-PERP', size: 4, notionalUsd: 600 },
  ],
  fillsBySymbol: { 'ETH-PERP': 7, 'SOL-PERP': 5 },
  rejectionsByReason: { post_only_would_cross: 2 },
  ordersByStatus: { filled: 12, open: 1 },
});

const source: MetricsSource = {
  venue: 'sim',
  version: '9.9.9',
  bots: () => [bot('b1'), bot('b2')],
  limiterQueueDepth: () => 0,
  eventsProcessed: () => 1234,
  droppedEvents: () => 2,
  streamLagSeconds: () => 0.01,
  equityUsd: () => 10_000,
  netDeltaUsd: () => 1,
  grossNotionalUsd: () => 2_400,
  riskLevel: () => 'medium',
};

describe('/metrics follows Prometheus conventions', async () => {
  const m = createMetricsRegistry(source);
  m.observeOrderLatency('place', 0.04);
  m.observeOrderLatency('place', 0.3);
  m.observeOrderLatency('cancel', 0.02);
  const families = parseExposition(await m.metrics());
  const family = (name: string): Family => {
    const f = families.get(name);
    expect(f, `${name} missing`).toBeDefined();
    return f!;
  };

  it('process metrics once prefixed, never dnbot_process_process_*', () => {
    const names = [...families.keys()];
    expect(names.some((n) => n.startsWith('dnbot_process_process_'))).toBe(false);
    expect(names).toContain('dnbot_process_cpu_user_seconds_total');
    expect(names).toContain('dnbot_nodejs_eventloop_lag_seconds');
  });

  it('counters end in _total; gauges do not', () => {
    // prom-client's own process metrics (dnbot_process_*, dnbot_nodejs_*) keep the library's names.
    for (const [name, f] of [...families].filter(([n]) => !/^dnbot_(process|nodejs)_/.test(n))) {
      if (f.type === 'counter') expect(name, name).toMatch(/_total$/);
      if (f.type === 'gauge') expect(name, name).not.toMatch(/_total$/);
    }
    expect(family('dnbot_fills_total').type).toBe('counter');
    expect(family('dnbot_order_rejections_total').type).toBe('counter');
    expect(family('dnbot_market_events_processed_total').type).toBe('counter');
    expect(family('dnbot_market_events_dropped_total').type).toBe('counter');
  });

  it('per-bot series carry bot and venue; per-position ones symbol too', () => {
    const fills = family('dnbot_fills_total').samples;
    expect(fills).toContainEqual({ name: 'dnbot_fills_total', labels: { bot: 'b1', venue: 'sim', symbol: 'ETH-PERP' }, value: 7 });
    expect(fills.filter((s) => s.labels['bot'] === 'b2')).toHaveLength(2);
    expect(family('dnbot_position_notional_usd').samples).toContainEqual({ name: 'dnbot_position_notional_usd', labels: { bot: 'b1', venue: 'sim', symbol: 'ETH-PERP' }, value: -600 });
    expect(family('dnbot_orders').samples).toContainEqual({ name: 'dnbot_orders', labels: { bot: 'b2', venue: 'sim', status: 'filled' }, value: 12 });
    expect(family('dnbot_equity_usd').samples[0]!.labels).toEqual({ venue: 'sim' });
  });

  it('PnL, fees, positions, phase, halt, breakers, risk level and multiplier are there', () => {
    const value = (name: string, b = 'b1'): number | undefined => family(name).samples.find((s) => s.labels['bot'] === b)?.value;
    expect(value('dnbot_realised_pnl_usd')).toBe(-3.5);
    expect(value('dnbot_fees_usd')).toBe(1.2);
    expect(value('dnbot_phase')).toBe(2);
    expect(value('dnbot_halted', 'b1')).toBe(0);
    expect(value('dnbot_halted', 'b2')).toBe(1);
    expect(value('dnbot_breakers_tripped')).toBe(0);
    expect(value('dnbot_risk_multiplier')).toBe(1.25);
    expect(family('dnbot_risk_level').samples[0]!.value).toBe(1);
    expect(family('dnbot_position_size').samples).toHaveLength(4);
  });

  it('an order-latency histogram with cumulative buckets', () => {
    const h = family('dnbot_order_latency_seconds');
    expect(h.type).toBe('histogram');
    const place = h.samples.filter((s) => s.labels['request'] === 'place');
    const bucket = (le: string): number => place.find((s) => s.name.endsWith('_bucket') && s.labels['le'] === le)!.value;
    expect(bucket('0.05')).toBe(1);
    expect(bucket('0.5')).toBe(2);
    expect(bucket('+Inf')).toBe(2);
    expect(place.find((s) => s.name.endsWith('_count'))!.value).toBe(2);
  });

  it('dnbot_build_info names the version', () => {
    const b = family('dnbot_build_info').samples[0]!;
    expect(b.value).toBe(1);
    expect(b.labels['version']).toBe('9.9.9');
    expect(b.labels['node_version']).toBe(process.version);
  });
});
