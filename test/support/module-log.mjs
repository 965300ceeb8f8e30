// Preload (`node --import ./test/support/module-log.mjs …`) that appends every module the process
// loads, ESM or CommonJS, one URL or path a line, to the file named by DNBOT_MODULE_LOG. Tests use
// it to check which packages a command pulls in (e.g. no venue SDK for `dnbot status`).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const log = process.env['DNBOT_MODULE_LOG'];
if (log) {
  register(new URL('./module-log-hooks.mjs', import.meta.url), { data: { log } });
  const Module = createRequire(import.meta.url)('node:module');
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    const exported = load.call(this, request, parent, isMain);
    try {
      appendFileSync(log, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      appendFileSync(log, `${request}\n`);
    }
    return exported;
  };
}
