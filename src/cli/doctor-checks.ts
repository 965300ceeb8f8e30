/**
 * `dnbot doctor`: the shape every venue's check list returns. Venue adapters export their lists
 * (`nadoDoctorChecks` in adapters/nado/nado-doctor.ts, `coinbaseDoctorChecks` in
 * adapters/coinbase/coinbase-doctor.ts, `driftDoctorChecks` in adapters/drift/drift-doctor.ts), each
 * declaring this same shape structurally (adapters do not import the CLI); the command runs one
 * list and prints it.
 */

/** One check: a short name, whether it passed, and what was found (plain words, never a secret). */
export interface DoctorResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Lines for the terminal: one per check, then a verdict. */
export function formatDoctor(venue: string, results: readonly DoctorResult[]): string[] {
  const width = Math.max(...results.map((r) => r.name.length), 4);
  const lines = results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(width)}  ${r.detail}`);
  const failed = results.filter((r) => !r.ok).length;
  lines.push(failed === 0 ? `${venue}: all ${results.length} checks passed` : `${venue}: ${failed} of ${results.length} checks failed`);
  return lines;
}
