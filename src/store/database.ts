import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, DnbotError, ErrorCodes } from '../core/errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { builtSchemaSnapshot, snapshotFits, type SchemaSnapshot } from './schema-snapshot.js';
import { PAGE_SIZE, createFromTemplate, schemaTemplate } from './schema-template.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite file in WAL mode and applies pending migrations.
 * `:memory:` gives a private in-memory database (tests).
 * @throws E_STORE_MIGRATION when the file has a schema newer than this build knows.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS, snapshot: SchemaSnapshot | null = defaultSnapshot(migrations)): Db {
  if (path === ':memory:') return prepare(new Database(path), migrations, snapshot);
  const exists = existsSync(path);
  if (exists && statSync(path).isDirectory()) throw new ConfigError('--db', `${path} is a directory, not a database file`);
  let db: Db | null = null;
  try {
    mkdirSync(dirname(path), { recursive: true });
    // A new file is written whole from the schema template (see createFromTemplate) when the
    // snapshot holds every migration: the migrations below then find it up to date.
    if (!exists && snapshot !== null && snapshotFits(snapshot, migrations) && snapshot.version === migrations.at(-1)?.version) {
      createFromTemplate(path, schemaTemplate(snapshot, (mem) => migrate(mem, migrations, snapshot)));
    }
    db = new Database(path);
    return prepare(db, migrations, snapshot);
  } catch (err) {
    db?.close();
    // A schema newer than this build keeps its code (E_STORE_MIGRATION); both are exit 2.
    if (err instanceof DnbotError) throw new DnbotError(err.code, `--db: ${path}: ${err.message}`, { ...err.details, path });
    throw new ConfigError('--db', `${path}: ${whyUnusable(err)}`);
  }
}

function prepare(db: Db, migrations: readonly Migration[], snapshot: SchemaSnapshot | null): Db {
  // Takes effect only on a file SQLite creates now (no template): one with pages keeps its size.
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations, snapshot);
  return db;
}

/** The snapshot the build wrote, for this build's migrations only. */
function defaultSnapshot(migrations: readonly Migration[]): SchemaSnapshot | null {
  return migrations === MIGRATIONS ? builtSchemaSnapshot() : null;
}

/** A database that cannot be used, in words (bad input, named by the caller with its path). */
function whyUnusable(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  switch (code) {
    case 'SQLITE_NOTADB':
      return 'not an SQLite database (corrupt, truncated or another kind of file)';
    case 'SQLITE_CORRUPT':
      return 'the database file is corrupt';
    case 'SQLITE_CANTOPEN':
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'cannot open or create it here (check the folder exists and is writable)';
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DIRECTORY':
      return 'the file or its folder is read-only; dnbot needs to write its state';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Applies every migration newer than the recorded version, each in its own transaction. A fresh
 * database (nothing in it yet) is created from `snapshot` in one transaction instead, when it was
 * built from these migrations: the same schema, at a third of the cost (the migrations rebuild
 * tables; each rebuild re-reads the whole schema), which every simulated or replayed run on a new
 * file pays at start. By default the snapshot is the one `npm run build` writes beside the
 * compiled code, for this build's migrations only.
 */
export function migrate(db: Db, migrations: readonly Migration[], snapshot: SchemaSnapshot | null = defaultSnapshot(migrations)): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ts INTEGER NOT NULL)',
  );
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  let current = row.v ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new DnbotError(
      ErrorCodes.STORE_MIGRATION,
      `database schema version ${current} is newer than this build (${latest}); upgrade dnbot`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_ts) VALUES (?, ?, ?)');
  if (current === 0 && snapshot !== null && snapshotFits(snapshot, migrations) && isEmpty(db)) {
    db.transaction(() => {
      db.exec(snapshot.sql);
      for (const m of snapshot.migrations) record.run(m.version, m.name, 0);
    })();
    current = snapshot.version;
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.upgrade?.(db);
      record.run(m.version, m.name, 0);
    })();
  }
  return latest;
}

/** Nothing but the migrations table (a file just created, or one that never held anything). */
function isEmpty(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE name != 'schema_migrations' LIMIT 1").get() === undefined;
}
