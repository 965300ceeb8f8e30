import type { SizingStep } from '../core/types.js';
import type { Db } from './database.js';

/** Step texts per generation of ids kept in memory (two are kept): many entries' worth (an entry has about ten). */
const RECENT_STEPS = 4096;

/**
 * Sizing steps stored once each. The two legs of an entry and every slice of it share most of
 * their trace (base size, multipliers, caps, gate): an order keeps the ids of its steps
 * (`"12,13,14"`), each distinct step text is one row, so a trace is written once per entry rather
 * than once per order.
 *
 * Which texts are stored is known from memory, not asked of SQLite on every step: the ids of the
 * last {@link RECENT_STEPS} to twice that texts used (filled at first use from the newest rows, so
 * a restart knows them too), and of each step object (the legs of an entry pass the same objects: no JSON at
 * all). A text not among them is inserted; one used again only after thousands of newer texts is
 * stored again, a row of ~150 bytes, never a wrong trace.
 *
 * A step written inside a transaction that rolls back disappears with it and its id may be given
 * to another step, so `forget` (called on every rollback) drops everything kept.
 */
export class SizingStepRepository {
  private readonly newestStmt;
  private readonly insertStmt;
  private readonly getStmt;
  private byObject = new WeakMap<SizingStep, number>();
  /**
   * Text → id in two generations: a full `recent` becomes `older` and the older one is dropped, so
   * a long run stays flat. (Evicting a Map's oldest entry one at a time makes its iterator skip
   * the deleted slots: that cost more than the inserts it saves.)
   */
  private recent = new Map<string, number>();
  private older = new Map<string, number>();
  /**
   * Id → text of steps known to be stored, in two generations of {@link RECENT_STEPS} like the
   * texts: a row never changes once written, so the orders read back while they are worked (an
   * order's trace is read with it, about ten steps) are resolved without asking SQLite. Kept apart
   * from the text → id maps: a text read back must not make `refs` reuse an older row's id.
   */
  private recentTexts = new Map<number, string>();
  private olderTexts = new Map<number, string>();
  /**
   * Id → the step parsed from its text, frozen, in two generations like the texts: an order read
   * back shares its steps with every other order read back that names them (orders are read back
   * about once each as they are worked, and an entry's orders share most steps), instead of parsing
   * its whole trace again. A step is plain readonly data: sharing it changes nothing.
   */
  private recentSteps = new Map<number, SizingStep>();
  private olderSteps = new Map<number, SizingStep>();
  private warm = false;

  constructor(db: Db) {
    this.newestStmt = db.prepare('SELECT id, step FROM sizing_steps ORDER BY id DESC LIMIT ?');
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
    this.recent = new Map();
    this.older = new Map();
    this.recentTexts = new Map();
    this.olderTexts = new Map();
    this.recentSteps = new Map();
    this.olderSteps = new Map();
    this.warm = false;
  }

  /**
   * The trace of comma-separated step ids, JSON-identical to the steps stored.
   * @throws when a referenced step is missing (a damaged database).
   */
  resolve(refs: string): SizingStep[] {
    if (refs === '') return [];
    const out: SizingStep[] = [];
    for (const ref of refs.split(',')) {
      const id = Number(ref);
      out.push(this.recentSteps.get(id) ?? this.olderSteps.get(id) ?? this.parse(id, ref));
    }
    return out;
  }

  /** The step stored as `id`, parsed from its text (kept, or read from SQLite) and kept, frozen. */
  private parse(id: number, ref: string): SizingStep {
    let text = this.recentTexts.get(id) ?? this.olderTexts.get(id);
    if (text === undefined) {
      text = this.getStmt.get(id) as string | undefined;
      if (text === undefined) throw new Error(`sizing step ${ref} is missing from sizing_steps`);
      this.rememberText(id, text);
    }
    const step = Object.freeze(JSON.parse(text) as SizingStep);
    if (this.recentSteps.size >= RECENT_STEPS) {
      this.olderSteps = this.recentSteps;
      this.recentSteps = new Map();
    }
    this.recentSteps.set(id, step);
    return step;
  }

  private idOf(text: string): number {
    if (!this.warm) this.warmUp();
    let id = this.recent.get(text);
    if (id !== undefined) return id;
    id = this.older.get(text) ?? Number(this.insertStmt.run(fnv1a(text), text).lastInsertRowid);
    this.remember(text, id);
    return id;
  }

  private remember(text: string, id: number): void {
    if (this.recent.size >= RECENT_STEPS) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(text, id);
    this.rememberText(id, text);
  }

  private rememberText(id: number, text: string): void {
    if (this.recentTexts.size >= RECENT_STEPS) {
      this.olderTexts = this.recentTexts;
      this.recentTexts = new Map();
    }
    this.recentTexts.set(id, text);
  }

  /** Knows the newest stored steps (after a start or a rollback). */
  private warmUp(): void {
    this.warm = true;
    const rows = this.newestStmt.all(RECENT_STEPS) as { id: number; step: string }[];
    for (let i = rows.length - 1; i >= 0; i--) this.remember(rows[i]!.step, rows[i]!.id);
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
