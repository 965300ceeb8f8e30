import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding dnbot's package.json. Found by walking up from this file, so it is the same
 * whether the sources run through tsx (`src/cli/`) or compiled (`dist/src/cli/`).
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && isDnbot(pkg)) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`dnbot's package.json not found above ${from}`);
    dir = up;
  }
}

function isDnbot(pkgPath: string): boolean {
  try {
    return (JSON.parse(readFileSync(pkgPath, 'utf8')) as { name?: unknown }).name === 'dnbot';
  } catch {
    return false;
  }
}

/** dnbot's version, from package.json (`dnbot --version`, `dnbot_build_info`). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** `config/default.json` of this checkout: read unless `--config FILE` is given. */
export const DEFAULT_CONFIG_PATH = join(packageRoot(), 'config', 'default.json');
