/**
 * dnbot's public entry point: the specs' pure functions, usable without running a bot.
 * Numbers are fractions (0.01 = 1%) and USD; out-of-domain input throws a typed error with a code.
 */
export { riskMultiplier, computeRiskMultiplier, type RiskMultiplierInput, type RiskMultiplierResult } from './sizing/risk-multiplier.js';
export { validatePositionSize, type PositionSizeCheck, type PositionSizeCheckInput } from './risk/position-size-check.js';
export { allocationLimit, allocationTier, type AllocationTier } from './risk/allocation-tier.js';
export { progressiveNotional, type ProgressiveNotionalInput } from './sizing/progressive-sizer.js';
export { requiredCapital, type RequiredCapitalInput } from './sizing/capital-calculator.js';
export { computeExitLevels, type ExitLevels, type ExitLevelsInput } from './exits/exit-levels.js';
export { DnbotError, ErrorCodes, type ErrorCode } from './core/errors.js';
