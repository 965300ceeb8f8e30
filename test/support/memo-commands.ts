import fc from 'fast-check';
import type { Store } from '../../src/store/store.js';

/** One step of a memo property test: writes made outside any transaction, or inside one that commits or throws. */
export interface MemoCommand<W> {
  readonly writes: readonly W[];
  readonly tx: 'none' | 'commit' | 'throw';
}

/** Writes drawn from `write`, alone or inside a transaction that commits or throws (rolled back). */
export function memoCommand<W>(write: fc.Arbitrary<W>): fc.Arbitrary<MemoCommand<W>> {
  return fc.oneof(
    write.map((w): MemoCommand<W> => ({ writes: [w], tx: 'none' })),
    fc.record({ writes: fc.array(write, { maxLength: 4 }), tx: fc.constantFrom('commit' as const, 'throw' as const) }),
  );
}

/** Applies `c`'s writes with `apply`, in `c`'s kind of transaction; one that throws is rolled back. */
export function runMemoCommand<W>(store: Store, c: MemoCommand<W>, apply: (w: W) => void): void {
  const run = (): void => {
    for (const w of c.writes) apply(w);
    if (c.tx === 'throw') throw new Error('abort');
  };
  if (c.tx === 'none') {
    run();
    return;
  }
  try {
    store.transaction(run);
  } catch {
    // rolled back
  }
}
