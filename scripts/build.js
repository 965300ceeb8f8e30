// `npm run build` (and `npm install`, through `prepare`): compiles src/, adapters/ and strategies/
// to dist/ so `dnbot` starts without transpiling, copies the files the code reads beside itself
// (dashboard and report assets), then stamps the build. A failed build never fails an install:
// bin/dnbot.js then runs the TypeScript sources through tsx, as before.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { STAMP } from '../bin/dist-freshness.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const ASSET_EXT = new Set(['.html', '.css', '.js', '.json', '.svg']);

function copyAssets(dir) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(rel);
    else if (ASSET_EXT.has(extname(entry.name))) {
      mkdirSync(dirname(join(root, 'dist', rel)), { recursive: true });
      cpSync(join(root, rel), join(root, 'dist', rel));
    }
  }
}

const started = Date.now();
rmSync(join(root, STAMP), { force: true });
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.warn('dnbot build: typescript is not installed; dnbot will run the sources through tsx');
  process.exit(0);
}
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.warn('dnbot build: tsc reported errors; dnbot will run the sources through tsx until a clean build');
  process.exit(0);
}
for (const d of ['src', 'adapters', 'strategies']) copyAssets(d);
await writeSchemaSnapshot();
// The build's start: a source saved during the build makes dist/ stale, as it should.
writeFileSync(join(root, STAMP), `${started}\n`);
console.log(`dnbot build: dist/ ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

/**
 * The schema after every migration, built from the compiled migrations on an in-memory database:
 * a fresh database is then created from it in one step (src/store/schema-snapshot.ts). Optional:
 * without it, the migrations run one by one.
 */
async function writeSchemaSnapshot() {
  try {
    const store = pathToFileURL(join(root, 'dist', 'src', 'store') + '/').href;
    const { buildSchemaSnapshot, SCHEMA_SNAPSHOT_FILE } = await import(`${store}schema-snapshot.js`);
    const { migrate } = await import(`${store}database.js`);
    const { MIGRATIONS } = await import(`${store}migrations.js`);
    const snapshot = buildSchemaSnapshot(MIGRATIONS, migrate);
    writeFileSync(join(root, 'dist', 'src', 'store', SCHEMA_SNAPSHOT_FILE), JSON.stringify(snapshot));
  } catch (err) {
    console.warn(`dnbot build: no schema snapshot (${err instanceof Error ? err.message : String(err)}); new databases run every migration`);
  }
}
