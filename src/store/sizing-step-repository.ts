import type { SizingStep } from '../core/types.js';
import type { Db } from './database.js';

/**
 * Sizing steps stored once each. The two legs of an entry and every slice of it share most of
 * their trace (base size, multipliers, caps, gate): an order keeps the ids of its steps
 * (`"12,13,14"`), each distinct step text is one row, so a trace is written once per entry rather
 * than once per order.
 *
 * The ids of recently written steps are kept in memory, by step object (the legs of an entry pass
 * the same objects: no JSON at all) and by text (the last {@link RECENT_STEPS}); a step not among
 * them is looked up by its hash, then inserted. A step written inside a transaction that rolls back
 * disappears with it and its id may be given to another step, so `forget` (called on every
 * rollback) drops everything kept.
 */
/** Step texts whose ids are kept in memory: many entries' worth (an entry has about ten). */
const RECENT_STEPS = 4096;

export class SizingStepRepository {
  private readonly findStmt;
  private readonly insertStmt;
  private readonly getStmt;
  private byObject = new WeakMap<SizingStep, number>();
  /** Text → id, oldest first (a Map keeps insertion order); bounded so a long run stays flat. */
  private readonly byText = new Map<string, number>();

  constructor(db: Db) {
    this.findStmt = db.prepare('SELECT id FROM sizing_steps WHERE hash = ? AND step = ?').pluck();
    this.insertStmt = db.prepare('INSERT INTO sizing_steps (hash, step) VALUES (?, ?)');
    this.getStmt = db.prepare('SELECT step FROM sizing_steps WHERE id = ?').pluck();
  }

  /** Stores the steps not stored yet; returns the trace as comma-separated step ids. */
  refs(trace: readonly SizingStep[]): string {
    let out = '';
    for (let i = 0; i < trace.length; i++) {
      if (i > 0) out += ',';
      const step = trace[i]!;
      let id = this.byObject.get(step);
      if (id === undefined) {
        id = this.idOf(JSON.stringify(step));
        this.byObject.set(step, id);
      }
      out += String(id);
    }
    return out;
  }

  /** Drops the ids kept in memory: a rollback may have removed their rows. */
  forget(): void {
    this.byObject = new WeakMap();
    this.byText.clear();
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
    let id = this.byText.get(text);
    if (id !== undefined) return id;
    const hash = fnv1a(text);
    id = this.findStmt.get(hash, text) as number | undefined;
    id ??= Number(this.insertStmt.run(hash, text).lastInsertRowid);
    if (this.byText.size >= RECENT_STEPS) this.byText.delete(this.byText.keys().next().value!);
    this.byText.set(text, id);
    return id;
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
