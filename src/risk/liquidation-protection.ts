import { z } from 'zod';
import { RISK_LEVELS, type RiskLevel } from './liquidation-risk-level.js';

/** Graduated protection steps, mildest first. Each step includes the milder ones. */
export const PROTECTION_ACTION_KINDS = ['none', 'stop_entries', 'reduce', 'flatten'] as const;
export type ProtectionActionKind = (typeof PROTECTION_ACTION_KINDS)[number];

/**
 * What the liquidation monitor asks for. `reduce` closes `fraction` of every position (both legs of a
 * pair alike, reduce-only, so the book stays neutral); `flatten` closes everything. Every kind but
 * `none` also stops new entries; exits and hedges always continue.
 */
export type ProtectionAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'stop_entries' }
  | { readonly kind: 'reduce'; readonly fraction: number }
  | { readonly kind: 'flatten' };

const kind = z.enum(PROTECTION_ACTION_KINDS);
const severity = (k: ProtectionActionKind): number => PROTECTION_ACTION_KINDS.indexOf(k);

/**
 * Action per risk level. Defaults: low none, medium stop_entries, high reduce 50%, critical flatten.
 * The actions may not get milder as the level rises.
 */
export const protectionConfigSchema = z
  .object({
    low: kind.default('none'),
    medium: kind.default('stop_entries'),
    high: kind.default('reduce'),
    critical: kind.default('flatten'),
    /** Share of every position a `reduce` closes, in (0, 1]. */
    reduceFraction: z.number().gt(0).max(1).default(0.5),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (let k = 1; k < RISK_LEVELS.length; k++) {
      const lo = RISK_LEVELS[k - 1] as RiskLevel;
      const hi = RISK_LEVELS[k] as RiskLevel;
      if (severity(c[hi]) < severity(c[lo])) {
        ctx.addIssue({ code: 'custom', path: [hi], message: `action for ${hi} must be at least as strong as for ${lo} (${c[lo]})` });
      }
    }
  });

export type ProtectionConfig = z.output<typeof protectionConfigSchema>;
export const DEFAULT_PROTECTION_CONFIG: ProtectionConfig = protectionConfigSchema.parse({});

/** Seed 002's graduated protection: the configured action for a risk level. Pure. */
export function graduatedAction(level: RiskLevel, config: ProtectionConfig = DEFAULT_PROTECTION_CONFIG): ProtectionAction {
  const k = config[level];
  return k === 'reduce' ? { kind: 'reduce', fraction: config.reduceFraction } : { kind: k };
}

/** True when the action blocks new entries (every action but `none`). */
export function actionStopsEntries(a: ProtectionAction): boolean {
  return a.kind !== 'none';
}

/** One-line description for logs and seed 002's `protection_actions` list. */
export function describeAction(a: ProtectionAction): string {
  switch (a.kind) {
    case 'none':
      return 'no action';
    case 'stop_entries':
      return 'stop new entries';
    case 'reduce':
      return `stop new entries; reduce every position by ${Math.round(a.fraction * 100)}% (reduce-only)`;
    case 'flatten':
      return 'stop new entries; flatten all positions (reduce-only)';
  }
}
