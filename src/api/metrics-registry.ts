import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** The numbers `/metrics` exposes, read at scrape time from live state. */
export interface MetricsSource {
  ordersByStatus(): Readonly<Record<string, number>>;
  rejectionsByReason(): Readonly<Record<string, number>>;
  fills(): number;
  limiterQueueDepth(): number;
  eventsProcessed(): number;
  droppedEvents(): number;
  /** Wall seconds since the last market event was processed (stream lag). */
  streamLagSeconds(): number;
  equityUsd(): number;
  netDeltaUsd(): number;
  grossNotionalUsd(): number;
  volumeTodayUsd(): number;
}

/**
 * A prom-client registry with dnbot's gauges, each filled from the source when scraped, plus the
 * library's default process metrics (event-loop lag among them).
 */
export function createMetricsRegistry(src: MetricsSource): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dnbot_process_' });
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  };
  const labelled = (name: string, help: string, label: string, read: () => Readonly<Record<string, number>>): void => {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      collect() {
        this.reset();
        for (const [k, v] of Object.entries(read())) this.set({ [label]: k }, v);
      },
    });
  };
  labelled('dnbot_orders', 'Orders by status', 'status', () => src.ordersByStatus());
  labelled('dnbot_rejections', 'Rejected orders by reason', 'reason', () => src.rejectionsByReason());
  gauge('dnbot_fills', 'Fills booked', () => src.fills());
  gauge('dnbot_limiter_queue_depth', 'Venue requests queued or running', () => src.limiterQueueDepth());
  gauge('dnbot_market_events_processed', 'Market events processed in this run', () => src.eventsProcessed());
  gauge('dnbot_market_events_dropped', 'Malformed market events dropped in this run', () => src.droppedEvents());
  gauge('dnbot_stream_lag_seconds', 'Wall seconds since the last market event', () => src.streamLagSeconds());
  gauge('dnbot_equity_usd', 'Account equity', () => src.equityUsd());
  gauge('dnbot_net_delta_usd', 'Net delta of all positions at marks', () => src.netDeltaUsd());
  gauge('dnbot_gross_notional_usd', 'Gross notional of all positions at marks', () => src.grossNotionalUsd());
  gauge('dnbot_volume_today_usd', 'Volume of the current UTC day (market time), all bots', () => src.volumeTodayUsd());
  return registry;
}
