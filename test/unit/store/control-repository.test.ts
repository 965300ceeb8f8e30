import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';

const T = Date.UTC(2024, 2, 1);

describe('ControlRepository: manual interventions count what changed something', () => {
  it('a cancel-all that cancelled no order is not an intervention; one that cancelled some is', () => {
    const store = Store.open(':memory:');
    try {
      store.controls.recordIntervention({ botId: 'b1', ts: T, action: 'cancel_all', detail: { orders: 0 } });
      expect(store.controls.interventionsSince('b1', 0)).toBe(0);
      store.controls.recordIntervention({ botId: 'b1', ts: T + 1, action: 'cancel_all', detail: { orders: 2 } });
      expect(store.controls.interventionsSince('b1', 0)).toBe(1);
    } finally {
      store.close();
    }
  });
});

describe('ControlRepository: rebalance requests', () => {
  it('are claimed once: a move from a status the row has left does nothing', () => {
    const store = Store.open(':memory:');
    try {
      const id = store.controls.queueRebalance({ botId: 'b1', ts: T, targets: { 'ETH-PERP': 0.05 }, plan: { trades: [] } });
      expect(store.controls.openRebalances('b1').map((r) => r.status)).toEqual(['pending']);
      expect(store.controls.moveRebalance(id, 'pending', 'executing', T + 1, { pairId: 'p1' })).toBe(true);
      expect(store.controls.moveRebalance(id, 'pending', 'executing', T + 2, { pairId: 'p2' })).toBe(false);
      expect(store.controls.moveRebalance(id, 'executing', 'done', T + 3, { outcome: 'legs now ETH-PERP 0.05' })).toBe(true);
      expect(store.controls.openRebalances('b1')).toEqual([]);
      expect(store.controls.rebalances('b1')[0]).toMatchObject({ id, status: 'done', pairId: 'p1', outcome: 'legs now ETH-PERP 0.05', targets: { 'ETH-PERP': 0.05 }, updatedTs: T + 3 });
    } finally {
      store.close();
    }
  });
});
