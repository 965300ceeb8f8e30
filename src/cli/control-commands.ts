import { ConfigError, ErrorCodes } from '../core/errors.js';
import { utcDay } from '../core/utc-day.js';
import type { Phases } from '../sizing/phases.js';
import { CONTROL_VERSION } from '../store/control-repository.js';
import type { Store } from '../store/store.js';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-io.js';
import { phaseGateFor } from './phase-report.js';

/** Operator actions on SQLite. A running bot reads them within seconds of market time. */
export interface ControlContext {
  readonly store: Store;
  readonly io: CliIo;
  /** Wall time of the action. */
  readonly now: number;
  readonly phases: Phases;
}

function requireBot(store: Store, botId: string | undefined): string {
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
  c.store.transaction(() => {
    c.store.controls.setHalted(botId, halted, reason, c.now);
    c.store.sequences.next(CONTROL_VERSION);
    c.store.controls.recordIntervention({ botId, ts: c.now, action: halted ? 'halt' : 'resume', detail: { reason } });
    c.store.events.record(c.now, botId === '*' ? null : botId, halted ? 'halt' : 'resume', { reason });
  });
  c.io.out(`${halted ? 'halted entries' : 'resumed entries'} for ${botId === '*' ? 'all bots' : botId}${reason ? `: ${reason}` : ''}`);
  return EXIT_OK;
}

/** `dnbot breaker status|reset`. A reset is a manual intervention. */
export function breakerCommand(c: ControlContext, action: 'status' | 'reset', botArg: string | undefined): number {
  const botId = requireBot(c.store, botArg);
  if (action === 'reset') {
    const n = c.store.transaction(() => {
      const count = c.store.breakers.resetAll(botId, c.now, 'operator');
      c.store.sequences.next(CONTROL_VERSION);
      c.store.controls.recordIntervention({ botId, ts: c.now, action: 'breaker_reset', detail: { count } });
      c.store.events.record(c.now, botId, 'breaker_reset', { count });
      return count;
    });
    c.io.out(`reset ${n} breaker(s) of ${botId}; counted as a manual intervention`);
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
  const gate = phaseGateFor(c.store, botId, c.phases, c.now);
  if (action === 'status') {
    c.io.out(`${botId}: phase ${gate.phase} (${c.phases[gate.phase].name}) since ${new Date(gate.sinceTs).toISOString()} (UTC day ${utcDay(gate.sinceTs)})`);
    const p = c.phases[gate.phase];
    c.io.out(`  leverage ${p.leverage}×, max position $${p.maxPositionUsd.toLocaleString('en-US')}, daily volume target $${p.dailyVolumeTargetUsd.toLocaleString('en-US')}, growth ×${p.growthMultiplier}`);
    if (gate.nextPhase === null) c.io.out('  phase 4 is the last phase');
    else c.io.out(`  gate to phase ${gate.nextPhase}: ${gate.ready ? 'READY for operator approval (dnbot phase approve)' : 'not met'}`);
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
    c.store.transaction(() => {
      c.store.sequences.next(CONTROL_VERSION);
      c.store.phases.change({ botId, ts: c.now, fromPhase: gate.phase, toPhase: gate.nextPhase!, kind: 'approve', reason: opts.reason ?? (gate.ready ? 'gate met, approved by operator' : 'forced by operator'), criteria: gate.criteria });
      // Forcing past an unmet gate is an intervention; approving a met gate is the process working.
      if (!gate.ready) c.store.controls.recordIntervention({ botId, ts: c.now, action: 'phase_force_approve', detail: { from: gate.phase, to: gate.nextPhase } });
      c.store.events.record(c.now, botId, 'phase_approve', { from: gate.phase, to: gate.nextPhase, forced: !gate.ready });
    });
    c.io.out(`${botId}: phase ${gate.phase} → ${gate.nextPhase}`);
    return EXIT_OK;
  }
  if (gate.phase === 1) {
    c.io.err('dnbot: already in phase 1');
    return EXIT_FAILURE;
  }
  const to = gate.phase - 1;
  c.store.transaction(() => {
    c.store.sequences.next(CONTROL_VERSION);
    c.store.phases.change({ botId, ts: c.now, fromPhase: gate.phase, toPhase: to, kind: 'rollback', reason: opts.reason ?? 'operator rollback', criteria: gate.criteria });
    c.store.controls.recordIntervention({ botId, ts: c.now, action: 'phase_rollback', detail: { from: gate.phase, to } });
    c.store.events.record(c.now, botId, 'phase_rollback', { from: gate.phase, to, by: 'operator' });
  });
  c.io.out(`${botId}: phase ${gate.phase} → ${to}`);
  return EXIT_OK;
}
