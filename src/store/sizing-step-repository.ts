import type { SizingStep } from '../core/types.js';
import type { Db } from './database.js';
import { keptAsText } from './text-column.js';
import { packTraceIds, unpackTraceIds } from './trace-ids.js';
import { TwoGenerations } from './two-generations.js';

/** A step's four fields, as its row and its kind's hold them. */
interface StepColumns {
  step: string;
  input: number | null;
  output: number | null;
  reason: string;
}

/**
 * A row of `sizing_steps` read with its kind (migration 21): the step in columns, its name and
 * reason its kind's, or its whole JSON in `json` (no kind). `step` and `reason` are NULL for a
 * row in columns only when its kind is missing (a damaged file).
 */
interface StepRow {
  json: string | null;
  step: string | null;
  input: number | null;
  output: number | null;
  reason: string | null;
}

const STEP_COLUMNS = 's.json, k.step, s.input, s.output, k.reason FROM sizing_steps s LEFT JOIN sizing_kinds k ON k.id = s.kind';

/** Step texts per generation of ids kept in memory (two are kept): many entries' worth (an entry has about ten). */
const RECENT_STEPS = 4096;
/** Kinds (a name and reason) per generation kept in memory, two generations as for the steps. */
const RECENT_KINDS = 4096;

/**
 * Sizing steps stored once each. The two legs of an entry and every slice of it share most of
 * their trace (base size, multipliers, caps, gate): an order keeps the ids of its steps
 * (packed, `src/store/trace-ids.ts`; `"12,13,14"` in rows written before migration 16), and
 * each distinct step text is one row, so a trace is written once per entry rather than once per
 * order. A row holds the step's four fields as columns (migration 16); a step that is not
 * exactly `{step, input, output, reason}` with a text name and reason (see {@link columnsOf}),
 * and every row written before, holds its JSON in `step`, with a NULL reason. Either way a step
 * reads back JSON-identical to the one written.
 *
 * Which steps are stored is known from memory, not asked of SQLite on every step: the ids of the
 * last {@link RECENT_STEPS} to twice that steps used (filled at first use from the newest rows,
 * so a restart knows them too), each under a key of its JSON text made without writing the JSON
 * ({@link columnsKey}, {@link keyOfText}), and the ids of the previous trace's step objects by
 * position (the legs of an entry and its slices pass the same objects: no key at all). A step not
 * among them is inserted; one used again only after thousands of newer ones is stored again, a row
 * of ~30 bytes, never a wrong trace. Kinds are known the same way: a kind not among the last {@link RECENT_KINDS} to
 * twice that used is written again, under a new id.
 *
 * A step written inside a transaction that rolls back disappears with it and its id may be given
 * to another step, so `forget` (called on every rollback) drops everything kept.
 */
export class SizingStepRepository {
  private readonly newestStmt;
  private readonly insertStmt;
  private readonly getStmt;
  private readonly newestKindsStmt;
  private readonly insertKindStmt;
  /** The previous trace's step objects (a copy: its caller may reuse the array) and their ids. */
  private lastSteps: SizingStep[] = [];
  private lastIds: number[] = [];
  /** A step's key (see {@link columnsKey}) → id in two generations (see TwoGenerations), so a long run stays flat. */
  private readonly ids = new TwoGenerations<string, number>(RECENT_STEPS);
  /**
   * Id → text of steps known to be stored, in two generations of {@link RECENT_STEPS} like the
   * keys: a row never changes once written, so the orders read back while they are worked (an
   * order's trace is read with it, about ten steps) are resolved without asking SQLite. Kept apart
   * from the key → id maps: a text read back must not make `refs` reuse an older row's id. A step
   * written in columns is kept parsed instead (see {@link steps}).
   */
  private readonly texts = new TwoGenerations<number, string>(RECENT_STEPS);
  /**
   * Id → the step parsed from its text, frozen, in two generations like the texts: an order read
   * back shares its steps with every other order read back that names them (orders are read back
   * about once each as they are worked, and an entry's orders share most steps), instead of parsing
   * its whole trace again. A step is plain readonly data: sharing it changes nothing. A step
   * written in columns is kept here as it reads back (see {@link readBack}) when it is written.
   */
  private readonly steps = new TwoGenerations<number, SizingStep>(RECENT_STEPS);
  /** Kind (see {@link kindKey}) → kind id, in two generations of {@link RECENT_KINDS}. */
  private readonly kinds = new TwoGenerations<string, number>(RECENT_KINDS);
  private warm = false;

  constructor(db: Db) {
    this.newestStmt = db.prepare(`SELECT s.id, ${STEP_COLUMNS} ORDER BY s.id DESC LIMIT ?`);
    this.insertStmt = db.prepare('INSERT INTO sizing_steps (kind, input, output, json) VALUES (?, ?, ?, ?)');
    this.getStmt = db.prepare(`SELECT ${STEP_COLUMNS} WHERE s.id = ?`);
    this.newestKindsStmt = db.prepare('SELECT id, step, reason FROM sizing_kinds ORDER BY id DESC LIMIT ?');
    this.insertKindStmt = db.prepare('INSERT INTO sizing_kinds (step, reason) VALUES (?, ?)');
  }

  /** Stores the steps not stored yet; returns the trace's step ids packed (`packTraceIds`). */
  refs(trace: readonly SizingStep[]): Buffer {
    const last = this.lastSteps;
    const lastIds = this.lastIds;
    const steps: SizingStep[] = [];
    const ids: number[] = [];
    for (let i = 0; i < trace.length; i++) {
      const step = trace[i]!;
      steps.push(step);
      ids.push(last[i] === step ? lastIds[i]! : this.idOf(step));
    }
    this.lastSteps = steps;
    this.lastIds = ids;
    return packTraceIds(ids);
  }

  /** Drops the ids kept in memory: a rollback may have removed their rows. */
  forget(): void {
    this.lastSteps = [];
    this.lastIds = [];
    this.ids.clear();
    this.texts.clear();
    this.steps.clear();
    this.kinds.clear();
    this.warm = false;
  }

  /**
   * The trace whose step ids `refs` holds, packed or (rows written before migration 16)
   * comma-separated, JSON-identical to the steps stored.
   * @throws when a referenced step is missing (a damaged database).
   */
  resolve(refs: string | Uint8Array): SizingStep[] {
    const ids = typeof refs === 'string' ? (refs === '' ? [] : refs.split(',').map(Number)) : unpackTraceIds(refs);
    const out: SizingStep[] = [];
    for (const id of ids) out.push(this.steps.get(id) ?? this.parse(id));
    return out;
  }

  /** The step stored as `id`, parsed from its text (kept, or read from SQLite) and kept, frozen. */
  private parse(id: number): SizingStep {
    let text = this.texts.get(id);
    if (text === undefined) {
      const row = this.getStmt.get(id) as StepRow | undefined;
      if (row === undefined) throw new Error(`sizing step ${id} is missing from sizing_steps`);
      const read = textOf(row);
      if (read === null) throw new Error(`the kind of sizing step ${id} is missing from sizing_kinds`);
      text = read;
      this.texts.set(id, text);
    }
    const step = Object.freeze(JSON.parse(text) as SizingStep);
    this.steps.set(id, step);
    return step;
  }

  /** The id of `step`: known from memory, or written now. */
  private idOf(step: SizingStep): number {
    if (!this.warm) this.warmUp();
    const row = columnsOf(step);
    if (row === null) {
      const text = JSON.stringify(step);
      const key = keyOfText(text);
      return this.known(key) ?? this.keep(key, this.insertText(text));
    }
    const kind = kindKey(row.step, row.reason);
    const key = columnsKey(kind, row.input, row.output);
    return this.known(key) ?? this.keep(key, this.insertColumns(row, kind));
  }

  /** The id kept under `key`, kept on in the newer generation; undefined when none is. */
  private known(key: string): number | undefined {
    const newer = this.ids.newer(key);
    if (newer !== undefined) return newer;
    const older = this.ids.get(key);
    if (older !== undefined) this.ids.set(key, older);
    return older;
  }

  /** Keeps `id` under `key`; returns it. */
  private keep(key: string, id: number): number {
    this.ids.set(key, id);
    return id;
  }

  /** Writes a step that is not kept in columns as its JSON `text`; returns its id. */
  private insertText(text: string): number {
    const id = Number(this.insertStmt.run(null, null, null, text).lastInsertRowid);
    this.texts.set(id, text);
    return id;
  }

  /** Writes a step in columns (`kind`: its {@link kindKey}); returns its id. */
  private insertColumns(row: StepColumns, kind: string): number {
    const id = Number(this.insertStmt.run(this.kindOf(row.step, row.reason, kind), row.input, row.output, null).lastInsertRowid);
    this.steps.set(id, readBack(row));
    return id;
  }

  /** The id of the kind `name` and `reason` make: known from memory, or written now. */
  private kindOf(name: string, reason: string, key: string): number {
    const id = this.kinds.newer(key);
    if (id !== undefined) return id;
    const known = this.kinds.get(key) ?? Number(this.insertKindStmt.run(name, reason).lastInsertRowid);
    this.kinds.set(key, known);
    return known;
  }

  /** Knows the newest stored steps and kinds (after a start or a rollback). */
  private warmUp(): void {
    this.warm = true;
    const kinds = this.newestKindsStmt.all(RECENT_KINDS) as { id: number; step: string; reason: string }[];
    for (let i = kinds.length - 1; i >= 0; i--) this.kinds.set(kindKey(kinds[i]!.step, kinds[i]!.reason), kinds[i]!.id);
    const rows = this.newestStmt.all(RECENT_STEPS) as (StepRow & { id: number })[];
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i]!;
      let key: string;
      if (r.json !== null) key = keyOfText(r.json);
      else if (r.step !== null && r.reason !== null) key = columnsKey(kindKey(r.step, r.reason), r.input, r.output);
      else continue; // A row whose kind is missing (a damaged file) is not known: a step with its text is written anew.
      this.ids.set(key, r.id);
      this.texts.set(r.id, textOf(r)!);
    }
  }
}

/** A step's keys, in the order its columns give them back. */
const STEP_KEYS = ['step', 'input', 'output', 'reason'] as const;

/** Whether `o`'s enumerable keys are exactly {@link STEP_KEYS}, in their order. */
function hasStepKeys(o: object): boolean {
  let k = 0;
  for (const key in o) if (key !== STEP_KEYS[k++]) return false;
  return k === STEP_KEYS.length;
}

/**
 * `step` as the columns of its row, or null when they might not give its JSON back: anything but
 * a plain (or null-prototype) object with exactly the four keys in their order (JSON.stringify
 * would write other keys, or call an inherited `toJSON`), a name or reason that is not a string or
 * holds a surrogate (JSON escapes a lone one, a TEXT column does not keep it), a field that is not
 * a number. A number JSON writes as `null` or `0` (NaN, ±Infinity, -0) may come back from SQLite
 * as another that JSON writes the same. No JSON is written here: a step in columns is known and
 * stored without its text (see {@link columnsKey}).
 */
export function columnsOf(step: SizingStep): StepColumns | null {
  const proto: unknown = Object.getPrototypeOf(step);
  if ((proto !== Object.prototype && proto !== null) || !hasStepKeys(step)) return null;
  const { step: name, input, output, reason } = step;
  if (typeof name !== 'string' || typeof reason !== 'string' || typeof input !== 'number' || typeof output !== 'number') return null;
  if (!keptAsText(name) || !keptAsText(reason)) return null;
  return { step: name, input, output, reason };
}

/** One string per name and reason, no two pairs alike: the name's length, the name, the reason. */
function kindKey(name: string, reason: string): string {
  return `${name.length}:${name}${reason}`;
}

/**
 * The key a step is known by in memory, one per JSON text without writing the JSON: for a step of
 * the four fields (`kind` its {@link kindKey}), the kind, a NUL (JSON never writes one, so no
 * step's JSON text is a key of this form), and its numbers as JSON writes them ("null" for NaN and
 * ±Infinity, "0" for -0). Two such steps have one JSON text exactly when they have one key: the
 * kind key is one per name and reason, and the numbers follow the last NUL.
 */
function columnsKey(kind: string, input: number | null, output: number | null): string {
  return `${kind}\u0000${jsonNumber(input)},${jsonNumber(output)}`;
}

/** A number as JSON gives it back: NaN and ±Infinity as null, -0 as 0 (a template writes null as "null"). */
function jsonNumber(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x + 0 : null;
}

/**
 * The key of the step whose JSON is `text`: {@link columnsKey}'s when it is of the four fields (a
 * name and reason in text, numbers or null), so a step written as JSON and one in columns that JSON
 * writes alike share a key; else the text itself (also for a text that is not JSON: a damaged row,
 * which must not stop new steps from being stored).
 */
function keyOfText(text: string): string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !hasStepKeys(v)) return text;
  const { step, input, output, reason } = v as Record<string, unknown>;
  if (typeof step !== 'string' || typeof reason !== 'string' || !numberOrNull(input) || !numberOrNull(output)) return text;
  return columnsKey(kindKey(step, reason), input, output);
}

function numberOrNull(x: unknown): x is number | null {
  return x === null || typeof x === 'number';
}

/**
 * The step in columns as it reads back from its JSON, frozen: NaN and ±Infinity as null (what
 * `JSON.parse` gives back; the type does not say so), -0 as 0.
 */
function readBack(row: StepColumns): SizingStep {
  return Object.freeze({ step: row.step, input: jsonNumber(row.input), output: jsonNumber(row.output), reason: row.reason }) as unknown as SizingStep;
}

/** The JSON text of the step a row holds; null when its kind is missing. */
function textOf(r: StepRow): string | null {
  if (r.json !== null) return r.json;
  if (r.step === null || r.reason === null) return null;
  return JSON.stringify({ step: r.step, input: r.input, output: r.output, reason: r.reason });
}
