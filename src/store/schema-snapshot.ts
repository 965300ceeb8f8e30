import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import type { Migration } from './migrations.js';

/**
 * The schema a fresh database has after migrations 1 to `version`, as SQLite stores it: a new
 * database is created from it in one transaction instead of replaying each migration (they rebuild
 * tables, and each rebuild re-reads the whole schema: about a third of the cost). Built from the
 * migrations themselves, so there is no second copy of the schema to keep in step.
 */
export interface SchemaSnapshot {
  readonly version: number;
  /** Each migration's version and name, as `schema_migrations` records them. */
  readonly migrations: readonly { readonly version: number; readonly name: string }[];
  readonly sql: string;
}

/** The file the build writes beside the compiled module (`npm run build`; see scripts/build.js). */
export const SCHEMA_SNAPSHOT_FILE = 'schema-snapshot.json';

/**
 * Applies `migrations` one by one to an in-memory database and reads back the schema they built.
 * `migrate` is passed in (it lives in database.ts, which reads this module).
 */
export function buildSchemaSnapshot(migrations: readonly Migration[], migrate: (db: Database.Database, m: readonly Migration[], snapshot: null) => unknown): SchemaSnapshot {
  const db = new Database(':memory:');
  try {
    migrate(db, migrations, null);
    const rows = db
      .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY rowid")
      .pluck()
      .all() as string[];
    return {
      version: migrations.at(-1)?.version ?? 0,
      migrations: migrations.map((m) => ({ version: m.version, name: m.name })),
      sql: rows.map((s) => `${s};`).join('\n'),
    };
  } finally {
    db.close();
  }
}

let loaded: SchemaSnapshot | null | undefined;

/**
 * The snapshot the build wrote beside this module, read once; null when there is none (the
 * TypeScript sources run through tsx or vitest) or it cannot be read: migrations then run one by one.
 */
export function builtSchemaSnapshot(): SchemaSnapshot | null {
  if (loaded !== undefined) return loaded;
  try {
    const raw = JSON.parse(readFileSync(new URL(`./${SCHEMA_SNAPSHOT_FILE}`, import.meta.url), 'utf8')) as SchemaSnapshot;
    loaded = typeof raw.sql === 'string' && typeof raw.version === 'number' && Array.isArray(raw.migrations) ? raw : null;
  } catch {
    loaded = null;
  }
  return loaded;
}

/** True when `snapshot` was built from exactly the first `snapshot.version` of `migrations` (same versions and names). */
export function snapshotFits(snapshot: SchemaSnapshot, migrations: readonly Migration[]): boolean {
  const built = migrations.filter((m) => m.version <= snapshot.version);
  return built.length === snapshot.migrations.length && built.every((m, i) => m.version === snapshot.migrations[i]!.version && m.name === snapshot.migrations[i]!.name);
}
