/**
 * The layout's import rules (STYLE.md "Shape", ARCHITECTURE.md), checked over source text: every
 * static, re-export and dynamic import of our own files is resolved and held against the rules.
 * Package imports (`zod`, `ccxt`, …) are not ours and are not checked here.
 */
import { posix } from 'node:path';
import ts from 'typescript';

/** One source file, by its repository-relative path (posix separators). */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** One import that breaks a rule: where it is, what it names, and which rule. */
export interface ImportViolation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly target: string;
  readonly rule: string;
}

/** Venues built on ccxt: they may import the shared folder. */
const CCXT_VENUES = new Set(['nado', 'coinbase']);
const CCXT_COMMON = 'ccxt-common';
/** The one module of ours `src/analytics` may import: the seeded generator. */
const ANALYTICS_MAY_IMPORT = 'src/core/rng.ts';

/** Where a file sits: `src/<area>`, `adapters/<name>`, `strategies/<name>`, or elsewhere. */
function placeOf(path: string): { readonly root: string; readonly area: string } {
  const [root = '', area = ''] = path.split('/');
  return { root, area };
}

/** Our file an import specifier names, repository-relative; null for a package import. */
function resolveTarget(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
}

/** The rule `from` → `target` breaks, in words; null when allowed. */
export function ruleBroken(from: string, target: string): string | null {
  const f = placeOf(from);
  const t = placeOf(target);
  const inCore = t.root === 'src' && t.area === 'core';
  if (f.root === 'src' && f.area === 'core') {
    return inCore ? null : 'src/core imports nothing of ours';
  }
  if (f.root === 'src' && f.area === 'analytics') {
    return (t.root === 'src' && t.area === 'analytics') || target === ANALYTICS_MAY_IMPORT
      ? null
      : `src/analytics imports nothing of ours but ${ANALYTICS_MAY_IMPORT}`;
  }
  if (f.root === 'adapters') {
    if (inCore || (t.root === 'adapters' && t.area === f.area)) return null;
    if (t.root === 'adapters' && t.area === CCXT_COMMON && CCXT_VENUES.has(f.area)) return null;
    if (t.root === 'adapters') {
      return f.area === CCXT_COMMON ? `adapters/${CCXT_COMMON} imports no venue` : `a venue imports no other venue (adapters/${f.area} → adapters/${t.area})`;
    }
    return 'adapters import only src/core and their own folder';
  }
  if (f.root === 'strategies') {
    return inCore || (t.root === 'strategies' && t.area === f.area) ? null : 'strategies import only src/core and their own folder';
  }
  if (f.root === 'src' && f.area !== 'cli' && t.root === 'adapters') {
    return 'only the composition root (src/cli) wires concrete adapters';
  }
  return null;
}

/** Every import of `files` that breaks a rule (static, `export … from`, and dynamic `import()`). */
export function importViolations(files: readonly SourceFile[]): ImportViolation[] {
  const out: ImportViolation[] = [];
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(file.text, true, true);
    for (const imp of importedFiles) {
      const target = resolveTarget(file.path, imp.fileName);
      if (target === null) continue;
      const rule = ruleBroken(file.path, target);
      if (rule === null) continue;
      const line = file.text.slice(0, imp.pos).split('\n').length;
      out.push({ file: file.path, line, specifier: imp.fileName, target, rule });
    }
  }
  return out;
}

/** One line per violation: `file:line imports 'specifier' (target): rule`. */
export function formatViolations(v: readonly ImportViolation[]): string {
  return v.map((x) => `${x.file}:${x.line} imports '${x.specifier}' (${x.target}): ${x.rule}`).join('\n');
}
