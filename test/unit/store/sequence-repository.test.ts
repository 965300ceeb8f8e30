import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';

let dir = '';
let store: Store;
let other: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnbot-seq-'));
  const path = join(dir, 'dnbot.db');
  store = Store.open(path);
  other = new Database(path);
});

afterEach(() => {
  other.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Another process (an operator's CLI command) advancing a counter. */
function bumpElsewhere(name: string): void {
  other.prepare('INSERT INTO id_sequences (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1').run(name);
}

describe('SequenceRepository.current kept in memory', () => {
  it('sees a value another process committed', () => {
    expect(store.sequences.current('control')).toBe(0);
    bumpElsewhere('control');
    expect(store.sequences.current('control')).toBe(1);
    bumpElsewhere('control');
    expect(store.sequences.current('control')).toBe(2);
  });

  it('in a batched run, another process waits for the batch to commit (the batch holds the write lock), then is seen', () => {
    store.batching.start(0);
    store.batching.begin();
    expect(store.sequences.current('control')).toBe(0);
    other.pragma('busy_timeout = 0');
    expect(() => bumpElsewhere('control')).toThrow(/locked|busy/i);
    store.batching.end(0);
    bumpElsewhere('control');
    store.batching.begin();
    expect(store.sequences.current('control')).toBe(1);
    store.batching.end(0);
  });

  it('in a batched run, sees it in the next batch after one ended', () => {
    store.batching.start(0);
    store.batching.begin();
    expect(store.sequences.current('control')).toBe(0);
    store.batching.end(0);
    bumpElsewhere('control');
    store.batching.begin();
    expect(store.sequences.current('control')).toBe(1);
    store.batching.end(0);
  });

  it('follows its own next(), and a next() rolled back is forgotten', () => {
    expect(store.sequences.next('coid')).toBe(1);
    expect(store.sequences.current('coid')).toBe(1);
    expect(() => store.transaction(() => {
      expect(store.sequences.next('coid')).toBe(2);
      expect(store.sequences.current('coid')).toBe(2);
      throw new Error('abort');
    })).toThrow('abort');
    expect(store.sequences.current('coid')).toBe(1);
    expect(store.sequences.next('coid')).toBe(2);
  });

  it('in a batched run, next() counts in memory and the counter is written with the commit, never repeated after a rollback', () => {
    const committed = (name: string): unknown => other.prepare('SELECT value FROM id_sequences WHERE name = ?').pluck().get(name);
    expect(store.sequences.next('coid')).toBe(1);
    store.batching.start(0);
    store.batching.begin();
    const changes = (): number => (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();
    expect(store.sequences.next('coid')).toBe(2);
    expect(store.sequences.next('coid')).toBe(3);
    expect(store.sequences.next('pair')).toBe(1);
    // Nothing written yet: the values wait for the commit.
    expect(changes()).toBe(before);
    expect(() => store.transaction(() => {
      expect(store.sequences.next('coid')).toBe(4);
      store.events.record(0, 'b', 'uses coid 4', {});
      throw new Error('abort');
    })).toThrow('abort');
    // A value handed out in a rolled-back transaction is not given again.
    expect(store.sequences.next('coid')).toBe(5);
    expect(store.sequences.current('coid')).toBe(5);
    store.batching.end(0);
    expect(committed('coid')).toBe(5);
    expect(committed('pair')).toBe(1);
    store.batching.begin();
    expect(store.sequences.next('coid')).toBe(6);
    store.batching.stop();
    expect(committed('coid')).toBe(6);
  });
});
