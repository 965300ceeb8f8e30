#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ when it is up to date (built by `npm install`, or
// `npm run build`), else the TypeScript sources through tsx: an edited checkout still runs as is.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshDistEntry } from './dist-freshness.js';

// `dnbot config schema | head` closes the pipe early: that is not a crash.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = process.env.DNBOT_NO_DIST ? null : freshDistEntry(root);
let main;
if (compiled) {
  ({ main } = await import(pathToFileURL(compiled).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
