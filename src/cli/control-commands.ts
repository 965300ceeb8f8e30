import { ConfigError, ErrorCodes } from '../core/errors.js';
import { utcDay } from '../core/utc-day.js';
import type { Phases } from '../sizing/phases.js';
import { CONTROL_VERSION } from '../store/control-repository.js';
import type { Store } from '../store/store.js';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-io.js';
import { operatorTransaction } from './operator-transaction.js';
import { phaseGateFor } from '../engine/phase-gate-reader.js';

/** Operator actions on SQLite. A running bot reads them within seconds of market time. */
export interface ControlContext {
  readonly store: Store;
  readonly io: CliIo;
  /** Wall time of the action (see `actionTime` for the time it is stamped with). */
  readonly now: number;
  readonly phases: Phases;
}

/** Venues whose market time runs apart from the wall: simulated and recorded data. */
const MARKET_TIME_VENUES = new Set(['sim', 'replay']);

/**
 * The time an operator action is stamped with, on the clock the bot runs on. A bot on simulated or
 * recorded data lives in its own market time (its phase days, breaker periods and journal are
 * stamped with it), so the action takes the bot's latest market time; otherwise the wall.
 * `botId` '*' means every bot: market time only when all of them run on it.
 */
export function actionTime(store: Store, botId: string, wallNow: number): number {
  const bots = store.bots.list().filter((b) => botId === '*' || b.id === botId);
  if (bots.length === 0 || bots.some((b) => !MARKET_TIME_VENUES.has(b.venue))) return wallNow;
  return Math.max(...bots.map((b) => b.lastMarketTs ?? b.createdTs));
}

/**
 * The bot an action is for: the one named, or the only one.
 * @throws ConfigError (exit 2) naming `--bot` when it is unknown, or when several bots leave it open.
 */
export function requireBot(store: Store, botId: string | undefined): string {
  const bots = store.bots.list();
  if (botId !== undefined) {
    if (!bots.some((b) => b.id === botId)) throw new ConfigError('--bot', `no bot "${botId}" in this database; bots: ${bots.map((b) => b.id).join(', ') || 'none'}`, ErrorCodes.CLI_USAGE);
    return botId;
  }
  if (bots.length === 1) return bots[0]!.id;
  throw new ConfigError('--bot', `this database has ${bots.length} bots; name one: ${bots.map((b) => b.id).join(', ') || 'none'}`, ErrorCodes.CLI_USAGE);
}

/** `dnbot halt` / `dnbot resume`: the kill switch for entries (counted as a manual intervention). */
export function setHalt(c: ControlContext, botArg: string | undefined, halted: boolean, reason: string): number {
  const botId = botArg === 'all' ? '*' : requireBot(c.store, botArg);
  const now = actionTime(c.store, botId, c.now);
  const who = botId === '*' ? 'all bots' : botId;
  if (c.store.controls.haltedRow(botId) === halted) {
    // Nothing changes, so nothing is recorded: a repeated click is not a manual intervention.
    c.io.out(`entries already ${halted ? 'halted' : 'allowed'} for ${who}; nothing changed`);
    return EXIT_OK;
  }
  operatorTransaction(c.store, () => {
    c.store.controls.setHalted(botId, halted, reason, now);
    c.store.sequences.next(CONTROL_VERSION);
    c.store.controls.recordIntervention({ botId, ts: now, action: halted ? 'halt' : 'resume', detail: { reason } });
    c.store.events.record(now, botId === '*' ? null : botId, halted ? 'halt' : 'resume', { reason });
  });
  c.io.out(`${halted ? 'halted entries' : 'resumed entries'} for ${who}${reason ? `: ${reason}` : ''}`);
  return EXIT_OK;
}

/** `dnbot breaker status|reset`. A reset is a manual intervention. */
export function breakerCommand(c: ControlContext, action: 'status' | 'reset', botArg: string | undefined): number {
  const botId = requireBot(c.store, botArg);
  const now = actionTime(c.store, botId, c.now);
  if (action === 'reset') {
    const n = operatorTransaction(c.store, () => {
      const count = c.store.breakers.resetAll(botId, now, 'operator');
      // A reset of no breaker changed nothing: not recorded, not a manual intervention.
      if (count === 0) return 0;
      c.store.sequences.next(CONTROL_VERSION);
      c.store.controls.recordIntervention({ botId, ts: now, action: 'breaker_reset', detail: { count } });
      c.store.events.record(now, botId, 'breaker_reset', { count });
      return count;
    });
    c.io.out(n === 0 ? `${botId}: no breaker is tripped; nothing reset, not counted as a manual intervention` : `reset ${n} breaker(s) of ${botId}; counted as a manual intervention`);
    return EXIT_OK;
  }
  const rows = c.store.breakers.history(botId);
  if (rows.length === 0) c.io.out(`${botId}: no breaker has ever tripped`);
  for (const b of rows) {
    c.io.out(`${b.status.padEnd(7)} ${b.scope.padEnd(15)} ${b.period}  ${b.reason}${b.resetBy ? `  (reset by ${b.resetBy})` : ''}`);
  }
  return EXIT_OK;
}

/** `dnbot phase status|approve|rollback`. */
export function phaseCommand(c: ControlContext, action: 'status' | 'approve' | 'rollback', botArg: string | undefined, opts: { force?: boolean; reason?: string }): number {
  const botId = requireBot(c.store, botArg);
  const now = actionTime(c.store, botId, c.now);
  const gate = phaseGateFor(c.store, botId, c.phases, now);
  if (action === 'status') {
    c.io.out(`${botId}: phase ${gate.phase} (${c.phases[gate.phase].name}) since ${new Date(gate.sinceTs).toISOString()} (UTC day ${utcDay(gate.sinceTs)})`);
    const p = c.phases[gate.phase];
    c.io.out(`  leverage ${p.leverage}×, max position $${p.maxPositionUsd.toLocaleString('en-US')}, daily volume target $${p.dailyVolumeTargetUsd.toLocaleString('en-US')}, growth ×${p.growthMultiplier}`);
    if (gate.nextPhase === null) c.io.out('  phase 4 is the last phase');
    else c.io.out(`  gate to phase ${gate.nextPhase}: ${gate.ready ? 'READY for operator approval (dnbot phase approve)' : 'not met'}`);
    c.io.out(`  judged at ${new Date(gate.asOfTs).toISOString()}: days since the phase began (first day included), daily volume and profit as the mean of ${gate.completeDays.length} complete UTC day(s)`);
    for (const k of gate.criteria) {
      c.io.out(`    ${k.met ? '✓' : '✗'} ${k.name.padEnd(24)} ${String(Number(k.actual.toFixed(4))).padStart(12)} ${k.comparison} ${k.required}`);
    }
    for (const ch of c.store.phases.changes(botId, 5)) c.io.out(`  ${new Date(ch.ts).toISOString()} ${ch.kind} ${ch.fromPhase} → ${ch.toPhase}: ${ch.reason}`);
    return EXIT_OK;
  }
  if (action === 'approve') {
    if (gate.nextPhase === null) {
      c.io.err('dnbot: already in phase 4, the last phase');
      return EXIT_FAILURE;
    }
    if (!gate.ready && !opts.force) {
      const unmet = gate.criteria.filter((k) => !k.met).map((k) => k.name);
      c.io.err(`dnbot: the gate to phase ${gate.nextPhase} is not met (${unmet.join(', ')}); see dnbot phase status, or pass --force`);
      return EXIT_FAILURE;
    }
    operatorTransaction(c.store, () => {
      c.store.sequences.next(CONTROL_VERSION);
      c.store.phases.change({ botId, ts: now, fromPhase: gate.phase, toPhase: gate.nextPhase!, kind: 'approve', reason: opts.reason ?? (gate.ready ? 'gate met, approved by operator' : 'forced by operator'), criteria: gate.criteria });
      // Forcing past an unmet gate is an intervention; approving a met gate is the process working.
      if (!gate.ready) c.store.controls.recordIntervention({ botId, ts: now, action: 'phase_force_approve', detail: { from: gate.phase, to: gate.nextPhase } });
      c.store.events.record(now, botId, 'phase_approve', { from: gate.phase, to: gate.nextPhase, forced: !gate.ready });
    });
    c.io.out(`${botId}: phase ${gate.phase} → ${gate.nextPhase}`);
    return EXIT_OK;
  }
  if (gate.phase === 1) {
    c.io.err('dnbot: already in phase 1');
    return EXIT_FAILURE;
  }
  const to = gate.phase - 1;
  operatorTransaction(c.store, () => {
    c.store.sequences.next(CONTROL_VERSION);
    c.store.phases.change({ botId, ts: now, fromPhase: gate.phase, toPhase: to, kind: 'rollback', reason: opts.reason ?? 'operator rollback', criteria: gate.criteria });
    c.store.controls.recordIntervention({ botId, ts: now, action: 'phase_rollback', detail: { from: gate.phase, to } });
    c.store.events.record(now, botId, 'phase_rollback', { from: gate.phase, to, by: 'operator' });
  });
  c.io.out(`${botId}: phase ${gate.phase} → ${to}`);
  return EXIT_OK;
}
