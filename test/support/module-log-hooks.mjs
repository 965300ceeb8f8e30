// Loader hooks of module-log.mjs: they run on the loader thread and log each ESM load.
import { appendFileSync } from 'node:fs';

let log = '';
export function initialize(data) {
  log = data.log;
}
export async function load(url, context, next) {
  appendFileSync(log, `${url}\n`);
  return next(url, context);
}
