import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One bot's figures at scrape time. */
export interface BotMetrics {
  readonly bot: string;
  readonly venue: string;
  readonly phase: number;
  readonly halted: boolean;
  /** Loss-limit breakers tripped now. */
  readonly breakersTripped: number;
  readonly riskMultiplier: number;
  /** Closed pairs' PnL net of fees, all time. */
  readonly realisedPnlUsd: number;
  readonly feesUsd: number;
  readonly volumeTodayUsd: number;
  readonly openPairs: number;
  readonly positions: readonly { readonly symbol: string; readonly size: number; readonly notionalUsd: number }[];
  readonly fillsBySymbol: Readonly<Record<string, number>>;
  readonly rejectionsByReason: Readonly<Record<string, number>>;
  readonly ordersByStatus: Readonly<Record<string, number>>;
}

/** The numbers `/metrics` exposes, read at scrape time from live state. */
export interface MetricsSource {
  readonly venue: string;
  readonly version: string;
  bots(): readonly BotMetrics[];
  limiterQueueDepth(): number;
  eventsProcessed(): number;
  droppedEvents(): number;
  /** Wall seconds since the last market event was processed (stream lag). */
  streamLagSeconds(): number;
  equityUsd(): number;
  netDeltaUsd(): number;
  grossNotionalUsd(): number;
  /** The liquidation monitor's level, or null before its first reading. */
  riskLevel(): 'low' | 'medium' | 'high' | 'critical' | null;
}

/** `dnbot_risk_level`'s values: 0 low, 1 medium, 2 high, 3 critical (-1 not measured yet). */
export const RISK_LEVEL_VALUE = { low: 0, medium: 1, high: 2, critical: 3 } as const;

/** Order request latency buckets, seconds: a paper fill's 50 ms to a congested venue's seconds. */
export const ORDER_LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The registry with an order-latency histogram the runtime feeds as requests settle. */
export interface DnbotMetrics {
  readonly registry: Registry;
  /** The exposition text (bots are read once per scrape). */
  metrics(): Promise<string>;
  /** Records one venue request's round trip (place or cancel), in seconds. */
  observeOrderLatency(request: 'place' | 'cancel', seconds: number): void;
}

/**
 * A prom-client registry following Prometheus' conventions: counters as counters ending in
 * `_total`, gauges for levels, `bot`/`venue`/`symbol` labels (one process runs several bots),
 * units in names (`_usd`, `_seconds`), `dnbot_build_info`, and the library's process metrics
 * under `dnbot_process_*` / `dnbot_nodejs_*` (event-loop lag among them). Values are read from
 * the source when scraped.
 */
export function createMetricsRegistry(src: MetricsSource): DnbotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dnbot_' });
  const venue = src.venue;
  const registers = [registry];

  new Gauge({ name: 'dnbot_build_info', help: 'Always 1; the labels say which dnbot and node run', labelNames: ['version', 'node_version'], registers }).set({ version: src.version, node_version: process.version }, 1);

  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, labelNames: ['venue'], registers, collect() { this.set({ venue }, read()); } });
  };
  gauge('dnbot_limiter_queue_depth', 'Venue requests queued or running', () => src.limiterQueueDepth());
  gauge('dnbot_stream_lag_seconds', 'Wall seconds since the last market event', () => src.streamLagSeconds());
  gauge('dnbot_equity_usd', 'Account equity', () => src.equityUsd());
  gauge('dnbot_net_delta_usd', 'Net delta of all positions at marks', () => src.netDeltaUsd());
  gauge('dnbot_gross_notional_usd', 'Gross notional of all positions at marks', () => src.grossNotionalUsd());
  gauge('dnbot_risk_level', 'Liquidation risk level: 0 low, 1 medium, 2 high, 3 critical, -1 not measured yet', () => {
    const l = src.riskLevel();
    return l === null ? -1 : RISK_LEVEL_VALUE[l];
  });

  const counter = (name: string, help: string, read: () => number): void => {
    new Counter({ name, help, labelNames: ['venue'], registers, collect() { this.reset(); this.inc({ venue }, read()); } });
  };
  counter('dnbot_market_events_processed_total', 'Market events processed in this run', () => src.eventsProcessed());
  counter('dnbot_market_events_dropped_total', 'Malformed market events dropped in this run', () => src.droppedEvents());

  // Per-bot series: read once per scrape, shared by the collectors below.
  let cache: readonly BotMetrics[] | null = null;
  const bots = (): readonly BotMetrics[] => (cache ??= src.bots());
  const perBot = (name: string, help: string, read: (b: BotMetrics) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['bot', 'venue'],
      registers,
      collect() {
        this.reset();
        for (const b of bots()) this.set({ bot: b.bot, venue: b.venue }, read(b));
      },
    });
  };
  perBot('dnbot_phase', 'Seed 003 phase (1-4)', (b) => b.phase);
  perBot('dnbot_halted', '1 while new entries are halted (kill switch), else 0', (b) => (b.halted ? 1 : 0));
  perBot('dnbot_breakers_tripped', 'Loss-limit circuit breakers tripped now', (b) => b.breakersTripped);
  perBot('dnbot_risk_multiplier', 'Seed 000 dynamic risk multiplier', (b) => b.riskMultiplier);
  perBot('dnbot_realised_pnl_usd', 'Closed pairs PnL net of fees, all time', (b) => b.realisedPnlUsd);
  perBot('dnbot_fees_usd', 'Fees paid, all time (rebates negative)', (b) => b.feesUsd);
  perBot('dnbot_volume_today_usd', 'Volume of the current UTC day (market time)', (b) => b.volumeTodayUsd);
  perBot('dnbot_open_pairs', 'Pairs entered and not yet closed', (b) => b.openPairs);

  const perSymbol = (name: string, help: string, read: (b: BotMetrics) => readonly (readonly [string, number])[]): void => {
    new Gauge({
      name,
      help,
      labelNames: ['bot', 'venue', 'symbol'],
      registers,
      collect() {
        this.reset();
        for (const b of bots()) for (const [symbol, v] of read(b)) this.set({ bot: b.bot, venue: b.venue, symbol }, v);
      },
    });
  };
  perSymbol('dnbot_position_size', 'Position size in base units (negative = short)', (b) => b.positions.map((p) => [p.symbol, p.size] as const));
  perSymbol('dnbot_position_notional_usd', 'Position notional at the mark (negative = short)', (b) => b.positions.map((p) => [p.symbol, p.notionalUsd] as const));

  const labelledCounter = (name: string, help: string, label: string, read: (b: BotMetrics) => Readonly<Record<string, number>>): void => {
    new Counter({
      name,
      help,
      labelNames: ['bot', 'venue', label],
      registers,
      collect() {
        this.reset();
        for (const b of bots()) for (const [k, v] of Object.entries(read(b))) this.inc({ bot: b.bot, venue: b.venue, [label]: k }, v);
      },
    });
  };
  labelledCounter('dnbot_fills_total', 'Fills booked', 'symbol', (b) => b.fillsBySymbol);
  labelledCounter('dnbot_order_rejections_total', 'Orders rejected, by reason', 'reason', (b) => b.rejectionsByReason);
  new Gauge({
    name: 'dnbot_orders',
    help: 'Orders by current status',
    labelNames: ['bot', 'venue', 'status'],
    registers,
    collect() {
      this.reset();
      for (const b of bots()) for (const [status, n] of Object.entries(b.ordersByStatus)) this.set({ bot: b.bot, venue: b.venue, status }, n);
    },
  });

  const latency = new Histogram({
    name: 'dnbot_order_latency_seconds',
    help: 'Venue request round trip, from leaving the rate limiter to the answer (market clock)',
    labelNames: ['venue', 'request'],
    buckets: ORDER_LATENCY_BUCKETS,
    registers,
  });
  return {
    registry,
    metrics: async () => {
      cache = null;
      try {
        return await registry.metrics();
      } finally {
        cache = null;
      }
    },
    observeOrderLatency: (request, seconds) => latency.observe({ venue, request }, seconds),
  };
}
