import { z } from 'zod';

/**
 * Configuration of the paper matching engine. Parsed once at start; `.parse({})` yields the
 * defaults. Unknown keys are errors (strict).
 */
export const paperConfigSchema = z
  .object({
    /** Starting collateral in quote units (USD). Ignored when the venue is restored. */
    startingCollateral: z.number().positive('must be > 0: a paper account starts with some collateral').default(10_000),
    /** One-way latency: orders and cancels take effect at the engine this long after they are sent. */
    latencyMs: z.number().nonnegative().max(60_000).default(50),
    /** Overrides the instrument's maker fee rate (negative = rebate). */
    makerFeeRate: z.number().min(-0.01).max(0.05).optional(),
    /** Overrides the instrument's taker fee rate. */
    takerFeeRate: z.number().min(0).max(0.05).optional(),
    /** Fee charged on the notional closed by a liquidation. */
    liquidationFeeRate: z.number().min(0).max(0.5).default(0.005),
    /**
     * When a trade fills our resting orders. `queue`: a print at our price fills us once the queue
     * ahead is consumed. `through`: only a print at least one tick through our price fills us (queue
     * ahead first): the conservative rule for coarse prints such as candle points. `auto`: `through`
     * on instruments of the candle replay (venue `replay`), `queue` elsewhere.
     */
    restingFill: z.enum(['auto', 'queue', 'through']).default('auto'),
    /**
     * Queue position and volume caps on resting fills. true: an order joins behind the visible
     * size at its price, and prints fill it only beyond that queue and never beyond their own
     * size. false: no queue and no cap, a print through the price fills the whole order: the
     * optimistic model, kept only to measure what the queue costs.
     */
    queue: z.boolean().default(true),
    /** Most orders that may rest at once; further resting orders are rejected. */
    maxOpenOrders: z.number().int().positive().default(200),
  })
  .strict();

/** Parsed paper engine configuration (defaults applied). */
export type PaperConfig = z.infer<typeof paperConfigSchema>;
