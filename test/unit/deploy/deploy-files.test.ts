import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetricsRegistry } from '../../../src/api/metrics-registry.js';
import { parseConfig } from '../../../src/cli/config-loader.js';

// Docker is not run by the tests: what can be checked without it is. Files parse, reference what
// exists, and the dashboard only queries metrics dnbot exposes.
const read = (p: string): string => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8');
const yamlOf = (p: string): Record<string, unknown> => parse(read(p)) as Record<string, unknown>;

async function exposedFamilies(): Promise<Set<string>> {
  const m = createMetricsRegistry({
    venue: 'sim',
    version: '0',
    bots: () => [{ bot: 'b', venue: 'sim', phase: 1, halted: false, breakersTripped: 0, riskMultiplier: 1, realisedPnlUsd: 0, feesUsd: 0, volumeTodayUsd: 0, openPairs: 0, positions: [{ symbol: 'ETH-PERP', size: 1, notionalUsd: 1 }], fillsBySymbol: { 'ETH-PERP': 1 }, rejectionsByReason: { x: 1 }, ordersByStatus: { filled: 1 } }],
    limiterQueueDepth: () => 0,
    eventsProcessed: () => 0,
    droppedEvents: () => 0,
    streamLagSeconds: () => 0,
    equityUsd: () => 0,
    netDeltaUsd: () => 0,
    grossNotionalUsd: () => 0,
    riskLevel: () => null,
  });
  m.observeOrderLatency('place', 0.1);
  const text = await m.metrics();
  return new Set([...text.matchAll(/^([a-z_:][a-z0-9_:]*)(?:\{| )/gm)].map((x) => x[1]!));
}

describe('deploy files', () => {
  it('docker-compose.yml runs dnbot, Prometheus and Grafana with their mounts present', () => {
    const c = yamlOf('deploy/docker-compose.yml') as { services: Record<string, { volumes?: string[]; build?: { context: string; dockerfile: string } }> };
    expect(Object.keys(c.services)).toEqual(expect.arrayContaining(['dnbot-a', 'prometheus', 'grafana']));
    expect(c.services['dnbot-a']!.build).toEqual({ context: '..', dockerfile: 'Dockerfile' });
    for (const svc of ['prometheus', 'grafana']) {
      for (const v of c.services[svc]!.volumes ?? []) {
        const src = v.split(':')[0]!;
        // Mounted from the checkout (the token file is the operator's to create).
        if (src.startsWith('./') && !src.includes('secrets')) expect(existsSync(new URL(`../../../deploy/${src.slice(2)}`, import.meta.url)), v).toBe(true);
      }
    }
  });

  it('Prometheus scrapes dnbot with the bearer token and an account label', () => {
    const p = yamlOf('deploy/prometheus/prometheus.yml') as { scrape_configs: { job_name: string; metrics_path: string; authorization: { type: string; credentials_file: string }; static_configs: { targets: string[]; labels: { account: string } }[] }[] };
    const job = p.scrape_configs.find((j) => j.job_name === 'dnbot')!;
    expect(job.metrics_path).toBe('/metrics');
    expect(job.authorization.type).toBe('Bearer');
    expect(job.static_configs[0]!.labels.account).toBe('a');
  });

  it('Grafana provisioning parses and points at the dashboards folder', () => {
    const ds = yamlOf('deploy/grafana/provisioning/datasources/prometheus.yml') as { datasources: { uid: string; url: string }[] };
    expect(ds.datasources[0]!.uid).toBe('prometheus');
    const prov = yamlOf('deploy/grafana/provisioning/dashboards/dnbot.yml') as { providers: { options: { path: string } }[] };
    expect(prov.providers[0]!.options.path).toBe('/var/lib/grafana/dashboards');
  });

  it('the dashboard only queries metrics dnbot exposes', async () => {
    const d = JSON.parse(read('deploy/grafana/dashboards/dnbot.json')) as { uid: string; panels: { id: number; targets: { expr: string }[]; gridPos: { w: number } }[] };
    expect(d.uid).toBe('dnbot-overview');
    const families = await exposedFamilies();
    const ids = new Set<number>();
    for (const p of d.panels) {
      expect(ids.has(p.id)).toBe(false);
      ids.add(p.id);
      expect(p.gridPos.w).toBeLessThanOrEqual(24);
      for (const t of p.targets) {
        for (const name of t.expr.match(/dnbot_[a-z0-9_]+/g) ?? []) expect(families.has(name), `${name} in panel ${p.id}`).toBe(true);
      }
    }
  });

  it('the configs shipped for Docker and systemd are valid', () => {
    expect(parseConfig(JSON.parse(read('config/docker.json'))).api.host).toBe('0.0.0.0');
    expect(parseConfig(JSON.parse(read('deploy/config/account.example.json'))).db).toBe('/var/lib/dnbot/main.db');
  });

  it('the Dockerfile is multi-stage, builds better-sqlite3 inside and runs as a non-root user', () => {
    const f = read('Dockerfile');
    expect(f.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(f).toMatch(/npm_config_build_from_source=true npm ci/);
    expect(f).toMatch(/^USER node$/m);
    expect(f).toMatch(/HEALTHCHECK .*\n.*\/ready/);
  });

  it('the systemd unit stops with SIGINT (clean shutdown) and restarts on failure', () => {
    const u = read('deploy/systemd/dnbot@.service');
    expect(u).toMatch(/^KillSignal=SIGINT$/m);
    expect(u).toMatch(/^Restart=on-failure$/m);
    expect(u).toMatch(/^User=dnbot$/m);
    expect(u).toMatch(/^ExecStart=.*bin\/dnbot\.js run --config \/etc\/dnbot\/%i\.json$/m);
  });

  it('the systemd unit puts each key in the section systemd reads it from', () => {
    // systemd ignores a key in the wrong section (StartLimitIntervalSec under [Service] left the
    // restart limit at its 10 s default, not the 10 minutes the README promises).
    const sections = new Map<string, string>();
    let section = '';
    for (const line of read('deploy/systemd/dnbot@.service').split('\n')) {
      const header = /^\[(\w+)\]$/.exec(line);
      if (header) section = header[1]!;
      const key = /^(\w+)=/.exec(line);
      if (key) sections.set(key[1]!, section);
    }
    expect(sections.get('StartLimitIntervalSec')).toBe('Unit');
    expect(sections.get('StartLimitBurst')).toBe('Unit');
    expect(sections.get('Restart')).toBe('Service');
    expect(sections.get('WantedBy')).toBe('Install');
  });
});
