// Whether the compiled JavaScript in dist/ may run instead of the TypeScript sources: it must exist
// and be newer than every source file (an edited file means dist/ is stale until `npm run build`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folders compiled into dist/ (tsconfig.build.json), plus the files that shape the build. */
const SOURCE_DIRS = ['src', 'adapters', 'strategies'];
const SOURCE_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];
/** Written by scripts/build.js after a complete build: the build's start time (epoch ms). */
export const STAMP = join('dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The newest modification time among the sources dist/ is built from. */
export function newestSourceMtime(root) {
  let newest = 0;
  for (const d of SOURCE_DIRS) newest = Math.max(newest, newestMtime(join(root, d)));
  for (const f of SOURCE_FILES) {
    try {
      newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
    } catch {
      // tsconfig.build.json may be absent in a trimmed install
    }
  }
  return newest;
}

/** The compiled entry point when dist/ is complete and newer than every source; null otherwise. */
export function freshDistEntry(root) {
  let builtAt;
  try {
    builtAt = Number(readFileSync(join(root, STAMP), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isFinite(builtAt) || builtAt < newestSourceMtime(root)) return null;
  return join(root, 'dist', 'src', 'cli', 'main.js');
}
