import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_THRESHOLDS, healthVerdict, type HealthInputs } from '../../../src/engine/health-verdict.js';

const healthy: HealthInputs = {
  feeds: [{ venue: 'nado', symbol: 'ETH-PERP', lastUpdateTs: 1, stale: false, reason: null, resyncs: 0, dropped: 0 }],
  reconciliationMismatches: [],
  eventLoopLagP99Ms: 12,
  bots: [{ id: 'b1', halted: null, breakers: [] }],
  riskLevel: 'low',
};

describe('healthVerdict', () => {
  it('all well: ok, no reasons', () => {
    expect(healthVerdict(healthy)).toEqual({ status: 'ok', reasons: [], notices: [] });
  });

  it.each<[string, Partial<HealthInputs>, string]>([
    ['a stale feed', { feeds: [{ ...healthy.feeds[0]!, stale: true, reason: 'no book for 12 s' }] }, 'feed_stale'],
    ['a failed reconciliation', { reconciliationMismatches: ['ETH-PERP: ledger 1, venue 0'] }, 'reconciliation_failed'],
    ['a lagging event loop', { eventLoopLagP99Ms: 2_500 }, 'event_loop_lag'],
    ['a tripped breaker', { bots: [{ id: 'b1', halted: null, breakers: ['portfolio daily loss 3%'] }] }, 'breaker_tripped'],
    ['a critical risk level', { riskLevel: 'critical' }, 'risk_critical'],
  ])('%s fails with its reason', (_name, change, check) => {
    const v = healthVerdict({ ...healthy, ...change });
    expect(v.status).toBe('fail');
    expect(v.reasons.map((r) => r.check)).toEqual([check]);
    expect(v.reasons[0]!.message.length).toBeGreaterThan(5);
  });

  it('a halt is a notice by default, a failure when configured', () => {
    const halted = { ...healthy, bots: [{ id: 'b1', halted: 'operator: maintenance', breakers: [] }] };
    expect(healthVerdict(halted).status).toBe('ok');
    expect(healthVerdict(halted).notices.map((n) => n.check)).toEqual(['halted']);
    expect(healthVerdict(halted, { ...DEFAULT_HEALTH_THRESHOLDS, failOnHalt: true }).status).toBe('fail');
  });

  it('a breaker is only a notice when configured so', () => {
    const tripped = { ...healthy, bots: [{ id: 'b1', halted: null, breakers: ['x'] }] };
    expect(healthVerdict(tripped, { ...DEFAULT_HEALTH_THRESHOLDS, failOnBreaker: false }).status).toBe('ok');
  });

  it('no event-loop window yet is not a failure', () => {
    expect(healthVerdict({ ...healthy, eventLoopLagP99Ms: null }).status).toBe('ok');
  });
});
