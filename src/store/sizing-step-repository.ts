import type { SizingStep } from '../core/types.js';
import type { Db } from './database.js';

/**
 * Sizing steps stored once each. The two legs of an entry and every slice of it share most of
 * their trace (base size, multipliers, caps, gate): an order keeps the ids of its steps
 * (`"12,13,14"`), each distinct step text is one row, so a trace is written once per entry rather
 * than once per order.
 *
 * Nothing is cached in memory: a step written inside a transaction that rolls back disappears
 * with it, so each lookup asks the table (by a hash index; a hash collision falls through to a
 * comparison of the text).
 */
export class SizingStepRepository {
  private readonly findStmt;
  private readonly insertStmt;
  private readonly getStmt;

  constructor(db: Db) {
    this.findStmt = db.prepare('SELECT id, step FROM sizing_steps WHERE hash = ?');
    this.insertStmt = db.prepare('INSERT INTO sizing_steps (hash, step) VALUES (?, ?)');
    this.getStmt = db.prepare('SELECT step FROM sizing_steps WHERE id = ?').pluck();
  }

  /** Stores the steps not stored yet; returns the trace as comma-separated step ids. */
  refs(trace: readonly SizingStep[]): string {
    let out = '';
    for (let i = 0; i < trace.length; i++) {
      if (i > 0) out += ',';
      out += String(this.idOf(JSON.stringify(trace[i])));
    }
    return out;
  }

  /**
   * The trace of comma-separated step ids, JSON-identical to the steps stored.
   * @throws when a referenced step is missing (a damaged database).
   */
  resolve(refs: string): SizingStep[] {
    if (refs === '') return [];
    const texts: string[] = [];
    for (const id of refs.split(',')) {
      const text = this.getStmt.get(Number(id)) as string | undefined;
      if (text === undefined) throw new Error(`sizing step ${id} is missing from sizing_steps`);
      texts.push(text);
    }
    return JSON.parse(`[${texts.join(',')}]`) as SizingStep[];
  }

  private idOf(text: string): number {
    const hash = fnv1a(text);
    for (const row of this.findStmt.all(hash) as { id: number; step: string }[]) if (row.step === text) return row.id;
    return Number(this.insertStmt.run(hash, text).lastInsertRowid);
  }
}

/** 32-bit FNV-1a over the UTF-16 code units: a cheap, stable bucket for the index. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
