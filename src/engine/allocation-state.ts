/** Seed 001's allocation as it stands: the tier's limits and the margin measured against them. */
export interface AllocationState {
  readonly tier: string;
  /** This bot's limit and every bot's together, fractions of equity. */
  readonly limit: number;
  readonly totalLimit: number;
  /** This bot's initial margin in use (gross ÷ leverage) and every bot's, USD. */
  readonly marginUsd: number;
  readonly accountMarginUsd: number;
  readonly equity: number;
  /** Seed 001's max notional per position at the bot's leverage: its margin ≤ capital share × equity × tier limit, USD. */
  readonly positionCapUsd: number;
}
