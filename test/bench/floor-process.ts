import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A node process that generates the simulated market's events on request and does nothing else:
 * the pipeline bench's floor in a process where no pipeline has run (see pipeline.bench.ts). It
 * stays up between requests, so a round can read the floor right before and right after a pipeline
 * run, and tell a round the host's speed changed during from a steady one. The compiled build only:
 * node cannot load the TypeScript sources by itself.
 */
export class FloorProcess {
  /** What the process wrote to stderr: named in the error if it ends before answering. */
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
  }

  /**
   * Starts the process; `simUrl` and `simConfigUrl` are the compiled sim market and its config
   * (file URLs), `spanMs` the span of market time each run generates (seed 1, default config).
   */
  static async start(simUrl: string, simConfigUrl: string, spanMs: number): Promise<FloorProcess> {
    if (!(spanMs > 0)) throw new Error(`spanMs: expected above 0, got ${spanMs}`);
    const script = [
      `const { SimMarket } = await import(${JSON.stringify(simUrl)});`,
      `const { simMarketConfigSchema } = await import(${JSON.stringify(simConfigUrl)});`,
      'const sim = simMarketConfigSchema.parse({});',
      // The parent gone, nothing is left to answer.
      "process.on('disconnect', () => process.exit(0));",
      "process.on('message', (times) => {",
      '  const out = [];',
      '  for (let i = 0; i < times; i++) {',
      '    const u0 = process.cpuUsage();',
      `    const market = new SimMarket({ config: sim, seed: 1, endTs: sim.startTs + ${spanMs} });`,
      '    while (market.next() !== null);',
      '    const u = process.cpuUsage(u0);',
      '    out.push((u.user + u.system) / 1e3);',
      '  }',
      '  process.send(out);',
      '});',
      "process.send('ready');",
    ].join('\n');
    const p = new FloorProcess(spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }));
    const hello = await p.reply();
    if (hello !== 'ready') throw new Error(`the floor process said ${JSON.stringify(hello)} instead of ready`);
    return p;
  }

  /** Generates the span's events `times` times over; each run's CPU time in ms (its GC helpers' too). */
  async runs(times: number): Promise<number[]> {
    if (!Number.isInteger(times) || times < 1) throw new Error(`times: expected a whole number of at least 1, got ${times}`);
    const answer = this.reply();
    // A message that cannot be sent (the process gone) fails the reply, not the whole bench.
    this.child.send(times, (err) => err && this.child.emit('error', err));
    const out = await answer;
    if (!Array.isArray(out) || out.length !== times || !out.every((x) => typeof x === 'number' && x > 0)) {
      throw new Error(`the floor process answered ${JSON.stringify(out)}`);
    }
    return out as number[];
  }

  /** One run's CPU time in ms. */
  async run(): Promise<number> {
    const [ms] = await this.runs(1);
    if (ms === undefined) throw new Error('the floor process answered no run');
    return ms;
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
    this.child.kill();
  }

  /**
   * The process's next message; an error naming its exit and its stderr if it ends first, or the
   * error the process could not be started or written to with.
   */
  private reply(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        this.child.off('error', onError);
      };
      const onMessage = (m: unknown): void => {
        done();
        resolve(m);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        done();
        reject(new Error(`the floor process ended (${code ?? signal}) before answering: ${this.stderr}`));
      };
      const onError = (err: Error): void => {
        done();
        reject(new Error(`the floor process failed: ${err.message}`));
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
      this.child.on('error', onError);
    });
  }
}
