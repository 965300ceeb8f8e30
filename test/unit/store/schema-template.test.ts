import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../../../src/store/database.js';
import { MIGRATIONS } from '../../../src/store/migrations.js';
import { buildSchemaSnapshot } from '../../../src/store/schema-snapshot.js';
import { createFromTemplate, schemaTemplate } from '../../../src/store/schema-template.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnbot-template-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const schema = (db: Db): unknown[] => db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
const versions = (db: Db): unknown[] => db.prepare('SELECT * FROM schema_migrations ORDER BY version').all();
/** What `npm run build` writes beside the compiled code (the sources have none). */
const snapshot = buildSchemaSnapshot(MIGRATIONS, migrate);

describe('schema template', () => {
  it('a new file written from the template is a WAL database with the schema and versions the migrations build one by one', () => {
    const template = schemaTemplate(snapshot, (mem) => migrate(mem, MIGRATIONS, snapshot));
    const path = join(dir, 'new.db');
    expect(createFromTemplate(path, template)).toBe(true);
    // Written whole before SQLite opens it; nothing left beside it.
    expect(readFileSync(path).equals(template)).toBe(true);
    expect(readdirSync(dir)).toEqual(['new.db']);
    const made = new Database(path);
    const stepByStep = openDatabase(join(dir, 'steps.db'), MIGRATIONS, null);
    expect(made.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(made.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(schema(made)).toEqual(schema(stepByStep));
    expect(versions(made)).toEqual(versions(stepByStep));
    made.close();
    stepByStep.close();
  });

  it('openDatabase creates a new file from it; the file then takes writes, survives a reopen, and migrates as any other', () => {
    const path = join(dir, 'sub', 'dnbot.db');
    const db = openDatabase(path, MIGRATIONS, snapshot);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.prepare("INSERT INTO events (ts, bot_id, kind, data) VALUES (1, NULL, 'k', '{}')").run();
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const again = openDatabase(path, MIGRATIONS, snapshot);
    expect(again.prepare('SELECT kind FROM events').pluck().all()).toEqual(['k']);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(versions(again)).toHaveLength(MIGRATIONS.length);
    again.close();
    expect(readdirSync(join(dir, 'sub'))).toEqual(['dnbot.db']);
  });

  it('never replaces a file that exists, even an empty one: the file is left as it was', () => {
    const path = join(dir, 'taken.db');
    writeFileSync(path, '');
    const template = schemaTemplate(snapshot, (mem) => migrate(mem, MIGRATIONS, snapshot));
    expect(createFromTemplate(path, template)).toBe(false);
    expect(readFileSync(path).length).toBe(0);
    expect(readdirSync(dir)).toEqual(['taken.db']);
  });

  it('removes what a creation killed mid-write left beside the file, and only that: the temporary file of a running process and other names stay', () => {
    const template = schemaTemplate(snapshot, (mem) => migrate(mem, MIGRATIONS, snapshot));
    const path = join(dir, 'dnbot.db');
    // A process that has exited: its id names no running process (a reused id would only keep the file).
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(gone).toBeGreaterThan(0);
    writeFileSync(`${path}-creating-${gone}`, template.subarray(0, 100));
    // The parent of this test's process runs: its file may be a creation under way.
    writeFileSync(`${path}-creating-${process.ppid}`, 'partial');
    writeFileSync(`${path}-creating-notapid`, 'x');
    writeFileSync(join(dir, `other.db-creating-${gone}`), 'x');
    expect(createFromTemplate(path, template)).toBe(true);
    expect(readFileSync(path).equals(template)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['dnbot.db', `dnbot.db-creating-${process.ppid}`, 'dnbot.db-creating-notapid', `other.db-creating-${gone}`].sort());
  });

  it('is built once per snapshot', () => {
    let builds = 0;
    const key = {};
    const a = schemaTemplate(key, (mem) => {
      builds++;
      migrate(mem, MIGRATIONS, snapshot);
    });
    const b = schemaTemplate(key, () => {
      builds++;
    });
    expect(b).toBe(a);
    expect(builds).toBe(1);
  });
});
