import { InputError } from '../core/errors.js';
import { requireFinite } from '../core/validation.js';
import { healthRatio } from './liquidation-health-ratio.js';
import { requireMarginPositions, type MarginPosition } from './liquidation-margin.js';

/**
 * A price shock scenario: a relative move per symbol (−0.1 = the mark falls 10%). Symbols not
 * listed keep their mark; shocks for symbols the book does not hold are ignored.
 */
export interface StressScenario {
  readonly name: string;
  readonly shocks: Readonly<Record<string, number>>;
}

/** One scenario's outcome, quote units; health in percent (ruling 6), null when no margin is required. */
export interface StressResult {
  readonly name: string;
  /** Σ size × mark × shock: the unrealised PnL the shock adds. */
  readonly pnl: number;
  readonly equity: number;
  readonly collateral: number;
  /** Σ |size| × shocked mark × MMR. */
  readonly maintenanceMargin: number;
  readonly healthRatio: number | null;
}

export interface StressScenariosInput {
  /** Equity incl. unrealised PnL at current marks. */
  readonly equity: number;
  /** Collateral counted for margin; defaults to `equity`. Moves by the same PnL as equity. */
  readonly collateral?: number;
  readonly positions: readonly MarginPosition[];
  /** Defaults to {@link DEFAULT_STRESS_SCENARIOS}. */
  readonly scenarios?: readonly StressScenario[];
}

/**
 * The standard shocks for a two-asset book: each leg alone ±10% and ±20%, both together ±10% and
 * ±20%, and correlation breaks (one leg down while the other goes up, both ways, 10% and 20%).
 * Up moves are included because a delta-neutral pair is short one of its legs.
 */
export function defaultStressScenarios(a = 'ETH-PERP', b = 'SOL-PERP'): StressScenario[] {
  const tag = (s: string): string => s.split('-')[0]?.toLowerCase() ?? s;
  const [ta, tb] = [tag(a), tag(b)];
  const out: StressScenario[] = [];
  const pct = (x: number): string => `${x < 0 ? 'down' : 'up'}_${Math.round(Math.abs(x) * 100)}`;
  for (const x of [-0.1, -0.2, 0.1, 0.2]) {
    out.push({ name: `${ta}_${pct(x)}`, shocks: { [a]: x } });
    out.push({ name: `${tb}_${pct(x)}`, shocks: { [b]: x } });
    out.push({ name: `both_${pct(x)}`, shocks: { [a]: x, [b]: x } });
  }
  for (const x of [0.1, 0.2]) {
    out.push({ name: `break_${ta}_${pct(-x)}_${tb}_${pct(x)}`, shocks: { [a]: -x, [b]: x } });
    out.push({ name: `break_${ta}_${pct(x)}_${tb}_${pct(-x)}`, shocks: { [a]: x, [b]: -x } });
  }
  return out;
}

/**
 * Scenario lists already checked whole and frozen to the last shock (so they cannot have changed
 * since): {@link stressScenarios} skips their check, which is most of its cost on every evaluation.
 */
const checkedLists = new WeakSet<readonly StressScenario[]>();

/**
 * `scenarios`, deeply frozen, after checking it as {@link stressScenarios} does: the list's check
 * then runs once, not on every call. Throws as {@link stressScenarios} on a bad list.
 */
export function frozenStressScenarios(scenarios: readonly StressScenario[]): readonly StressScenario[] {
  scenarios.forEach(requireScenario(new Set()));
  const list = Object.freeze(scenarios.map((s) => Object.freeze({ name: s.name, shocks: Object.freeze({ ...s.shocks }) })));
  checkedLists.add(list);
  return list;
}

/** {@link defaultStressScenarios} for `ETH-PERP` and `SOL-PERP`: 16 scenarios (frozen). */
export const DEFAULT_STRESS_SCENARIOS: readonly StressScenario[] = frozenStressScenarios(defaultStressScenarios());

/** Checks scenario `k`: a name not seen before, and every shock finite and > −1. */
function requireScenario(names: Set<string>): (s: StressScenario, k: number) => void {
  return (s, k) => {
    if (names.has(s.name)) throw new InputError(`scenarios[${k}].name`, `duplicate scenario ${s.name}`);
    names.add(s.name);
    for (const [symbol, x] of Object.entries(s.shocks)) {
      if (!(Number.isFinite(x) && x > -1)) throw new InputError(`scenarios[${k}].shocks.${symbol}`, `must be finite and > -1, got ${String(x)}`);
    }
  };
}

/**
 * Equity, maintenance margin, health and PnL of the book under each scenario, all else equal.
 * Results are in scenario order. Pure.
 * @throws InputError (E_INPUT_INVALID) on a non-finite equity or collateral, a bad position, a
 * duplicate scenario name, or a shock that is not finite and > −1 (prices stay positive).
 */
export function stressScenarios(i: StressScenariosInput): StressResult[] {
  const equity = requireFinite('equity', i.equity);
  const collateral = requireFinite('collateral', i.collateral ?? equity);
  const positions = requireMarginPositions(i.positions);
  const scenarios = i.scenarios ?? DEFAULT_STRESS_SCENARIOS;
  // Each scenario is checked just before it is used (a list checked and frozen already is not).
  const check = checkedLists.has(scenarios) ? null : requireScenario(new Set());
  return scenarios.map((s, k) => {
    check?.(s, k);
    let pnl = 0;
    let mm = 0;
    for (const p of positions) {
      const shock = s.shocks[p.symbol] ?? 0;
      pnl += p.size * p.mark * shock;
      mm += Math.abs(p.size) * p.mark * (1 + shock) * p.maintenanceMarginRatio;
    }
    const c = collateral + pnl;
    return { name: s.name, pnl, equity: equity + pnl, collateral: c, maintenanceMargin: mm, healthRatio: healthRatio({ collateral: c, maintenanceMargin: mm }) };
  });
}

/** Lowest health ratio across results, percent; null when no scenario requires margin (or none given). */
export function worstStressHealth(results: readonly StressResult[]): number | null {
  let worst: number | null = null;
  for (const r of results) if (r.healthRatio !== null && (worst === null || r.healthRatio < worst)) worst = r.healthRatio;
  return worst;
}
