/**
 * A small table looked up by its key alone, stored WITHOUT ROWID: its rows live in the b-tree of
 * its key instead of a rowid table plus a second b-tree (the key's automatic index) that repeats
 * every key. Each b-tree holds at least one page of the file, however few rows it has: ten such
 * tables of a few rows each cost twenty pages where ten do (https://sqlite.org/withoutrowid.html).
 * Only for tables of short rows that nothing reads by rowid or in insertion order.
 */
export interface KeyedTable {
  readonly name: string;
  /** The columns and constraints, in the table's current column order (rows are copied by position). */
  readonly body: string;
  /** The key's columns: a row with NULL in one (a rowid table allows it, WITHOUT ROWID does not) is never found by a lookup and is not copied. */
  readonly key: readonly string[];
}

/** SQL that rebuilds `t` as a WITHOUT ROWID table under the same name, its rows copied. */
export function withoutRowidRebuild(t: KeyedTable): string {
  const keyed = `${t.name}_keyed`;
  const known = t.key.map((k) => `${k} IS NOT NULL`).join(' AND ');
  return `
      CREATE TABLE ${keyed} (${t.body}) WITHOUT ROWID;
      INSERT INTO ${keyed} SELECT * FROM ${t.name} WHERE ${known};
      DROP TABLE ${t.name};
      ALTER TABLE ${keyed} RENAME TO ${t.name};`;
}
