import { describe, expect, it } from 'vitest';
import { DnbotError } from '../../../src/core/errors.js';
import type { OrderStatus } from '../../../src/core/types.js';
import { ORDER_TRANSITIONS, canTransition, transition } from '../../../src/execution/order-state-machine.js';

const STATUSES: readonly OrderStatus[] = [
  'pending_submit',
  'open',
  'partially_filled',
  'filled',
  'cancel_pending',
  'canceled',
  'rejected',
  'expired',
  'unknown',
];

/**
 * The expected table, written out by hand (not derived from the code): a change to the real
 * table has to be made here too. Rows are `from`, columns follow STATUSES; 1 = legal exit.
 *                      pend open part fill cpnd canc rejd expd unkn */
const EXPECTED: Record<OrderStatus, readonly (0 | 1)[]> = {
  pending_submit:   [0,   1,   1,   1,   1,   1,   1,   1,   1],
  open:             [0,   0,   1,   1,   1,   1,   0,   1,   1],
  partially_filled: [0,   0,   0,   1,   1,   1,   0,   1,   1],
  filled:           [0,   0,   0,   0,   0,   0,   0,   0,   0],
  cancel_pending:   [0,   1,   1,   1,   0,   1,   0,   1,   1],
  canceled:         [0,   0,   0,   1,   0,   0,   0,   0,   0],
  rejected:         [0,   0,   1,   1,   0,   0,   0,   0,   0],
  expired:          [0,   0,   0,   1,   0,   0,   0,   0,   0],
  unknown:          [0,   1,   1,   1,   1,   1,   1,   1,   0],
};

const pairs = STATUSES.flatMap((from) =>
  STATUSES.map((to, col) => ({ from, to, legal: from === to || EXPECTED[from][col] === 1 })),
);

describe('order transition table', () => {
  it('lists exactly the nine statuses', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...STATUSES].sort());
  });

  it.each(pairs)('$from → $to is legal: $legal', ({ from, to, legal }) => {
    expect(canTransition(from, to)).toBe(legal);
    expect(canTransition(from, to)).toBe(from === to || ORDER_TRANSITIONS[from].includes(to));
    if (legal) {
      expect(transition(from, to, 'c1')).toBe(to);
      return;
    }
    let thrown: unknown = null;
    try {
      transition(from, to, 'c1');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DnbotError);
    expect((thrown as DnbotError).code).toBe('E_ORDER_ILLEGAL_TRANSITION');
    expect((thrown as DnbotError).details).toMatchObject({ from, to, clientOrderId: 'c1' });
  });

  it.each(['filled'] as const)('terminal %s has no exits', (from) => {
    expect(ORDER_TRANSITIONS[from]).toEqual([]);
    for (const to of STATUSES) expect(canTransition(from, to)).toBe(to === from);
  });

  const realWorld: { why: string; from: OrderStatus; to: OrderStatus }[] = [
    { why: 'a late fill after the cancel ack', from: 'canceled', to: 'filled' },
    { why: 'a late fill after expiry', from: 'expired', to: 'filled' },
    { why: 'a fill beats the placement ack', from: 'pending_submit', to: 'filled' },
    { why: 'a partial fill beats the placement ack', from: 'pending_submit', to: 'partially_filled' },
    { why: 'a cancel fails on a resting order', from: 'cancel_pending', to: 'open' },
    { why: 'a cancel fails on a partly filled order', from: 'cancel_pending', to: 'partially_filled' },
    { why: 'a lost cancel ack', from: 'cancel_pending', to: 'unknown' },
    { why: 'a lost placement ack', from: 'pending_submit', to: 'unknown' },
    { why: 'a fill lands while canceling', from: 'cancel_pending', to: 'filled' },
  ];

  it.each(realWorld)('allows $from → $to ($why)', ({ from, to }) => {
    expect(canTransition(from, to)).toBe(true);
  });

  const venueStatuses: OrderStatus[] = ['open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired'];
  it.each(venueStatuses)('unknown → %s (whatever the venue reports) is legal', (to) => {
    expect(transition('unknown', to)).toBe(to);
  });
});
