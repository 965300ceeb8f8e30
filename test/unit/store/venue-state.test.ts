import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';

describe('venue state', () => {
  it('survives a reopen, is scoped per venue, and lists by literal prefix', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'dnbot-vs-')), 's.db');
    const a = Store.open(db);
    const drift = a.venueState.scoped('drift', () => 1);
    drift.set('uoid:7', 'cid-1');
    drift.set('uoid:8', 'cid-2');
    drift.set('uoid_x', 'underscore');
    drift.set('uoidZ', 'letter');
    drift.set('uoid:7', 'cid-3');
    a.venueState.scoped('nado', () => 1).set('uoid:7', 'other');
    a.close();
    const b = Store.open(db);
    const again = b.venueState.scoped('drift', () => 2);
    expect(again.get('uoid:7')).toBe('cid-3');
    expect(again.get('missing')).toBeNull();
    // `_` is a LIKE wildcard: the prefix must match literally.
    expect(again.list('uoid:')).toEqual([
      { key: 'uoid:7', value: 'cid-3' },
      { key: 'uoid:8', value: 'cid-2' },
    ]);
    expect(again.list('uoid_')).toEqual([{ key: 'uoid_x', value: 'underscore' }]);
    expect(b.venueState.scoped('nado', () => 2).get('uoid:7')).toBe('other');
    b.close();
  });
});
