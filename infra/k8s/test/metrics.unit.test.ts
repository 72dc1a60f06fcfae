/**
 * docs/metrics.md ↔ the code ↔ infra/grafana/tongxin-dashboard.json: every metric the dashboard
 * queries is documented; every documented metric of ours is defined where the page says (and the
 * Prometheus name is what the exporter makes of the instrument name); every instrument created in
 * the sources is documented.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { describe, expect, it } from 'vitest';

import { SERVICE_NAMES } from '../../local/src/launch.js';

import { REPO_ROOT } from './render.js';

interface Documented {
  name: string;
  type: string;
  source: string;
  instrument?: string;
  external: boolean;
}

function documented(): Documented[] {
  const text = readFileSync(join(REPO_ROOT, 'docs/metrics.md'), 'utf8');
  const rows: Documented[] = [];
  let section = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) section = line;
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const name = /^`([a-z_:][a-z0-9_:]*)`$/.exec(cells[1] ?? '')?.[1];
    if (!line.startsWith('|') || !name) continue;
    const source = /`([^`]+)`/.exec(cells[4] ?? '')?.[1] ?? '';
    const instrument = /\(`([^`]+)`\)/.exec(cells[4] ?? '')?.[1];
    rows.push({ name, type: cells[2]!, source, instrument, external: section.includes('Kafka cluster') });
  }
  return rows;
}

/** What @opentelemetry/exporter-prometheus prints for an instrument name. */
function prometheusName(instrument: string, type: string): string {
  const base = instrument.replace(/[^a-zA-Z0-9_:]/g, '_');
  return type === 'counter' && !base.endsWith('_total') ? `${base}_total` : base;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [path] : [];
  });
}

interface Panel {
  title: string;
  targets: { expr: string }[];
}
const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'infra/grafana/tongxin-dashboard.json'), 'utf8')) as {
  panels: Panel[];
  templating: { list: { name: string; query: string }[] };
};
const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
/** Metric names of a PromQL expression: identifiers that are not functions, keywords or label names. */
function selectorsOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values
    .replace(/\{[^}]*\}/g, '{}') // label matchers
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '') // grouping labels
    .replace(/\[[^\]]*\]/g, ''); // ranges
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((word) => !['and', 'or', 'unless', 'bool', 'offset'].includes(word));
}

describe('docs/metrics.md, the code and the Grafana dashboard', () => {
  const rows = documented();

  it('lists metrics, ours and external', () => {
    expect(rows.filter((r) => !r.external).length).toBeGreaterThanOrEqual(8);
    expect(rows.filter((r) => r.external).map((r) => r.name)).toEqual(['kafka_consumergroup_lag']);
    for (const row of rows) expect(['counter', 'gauge', 'histogram']).toContain(row.type);
  });

  for (const row of documented().filter((r) => !r.external)) {
    it(`${row.name} is defined in ${row.source}`, () => {
      const text = readFileSync(join(REPO_ROOT, row.source), 'utf8');
      expect(row.instrument, 'the instrument name is given').toBeTruthy();
      expect(text).toContain(row.instrument!);
      if (/^[a-z][a-z0-9_.]*$/.test(row.instrument!) && row.instrument !== 'target_info') {
        expect(text).toMatch(new RegExp(`create\\w+\\(\\s*'${row.instrument!.replaceAll('.', '\\.')}'`));
        expect(prometheusName(row.instrument!, row.type)).toBe(row.name);
      }
    });
  }

  it('every instrument created in the sources is documented', () => {
    const created = ['packages', 'apps'].flatMap((top) =>
      readdirSync(join(REPO_ROOT, top)).flatMap((ws) => {
        const src = join(REPO_ROOT, top, ws, 'src');
        try {
          statSync(src);
        } catch {
          return [];
        }
        return sourceFiles(src).flatMap((file) =>
          [
            ...readFileSync(file, 'utf8').matchAll(
              /create(Counter|Histogram|ObservableGauge|Gauge|UpDownCounter|ObservableCounter|ObservableUpDownCounter)\(\s*'([^']+)'/g,
            ),
          ].map((m) => ({ file: relative(REPO_ROOT, file), instrument: m[2]! })),
        );
      }),
    );
    expect(created.length).toBeGreaterThanOrEqual(8);
    const documentedInstruments = new Set(rows.map((r) => r.instrument));
    expect(created.filter((c) => !documentedInstruments.has(c.instrument))).toEqual([]);
  });

  it('the dashboard queries only documented metrics, each as its type allows', () => {
    const byName = new Map(rows.map((r) => [r.name, r]));
    const used = new Set<string>();
    for (const expr of exprs) {
      const selectors = selectorsOf(expr);
      expect(selectors.length, expr).toBeGreaterThan(0);
      for (const selector of selectors) {
        const histogram = /^(.*)_(bucket|sum|count)$/.exec(selector);
        const row = byName.get(selector) ?? (histogram ? byName.get(histogram[1]!) : undefined);
        expect(row, `${selector} (in ${expr}) is in docs/metrics.md`).toBeDefined();
        if (histogram && !byName.has(selector)) expect(row!.type).toBe('histogram');
        if (row!.type === 'histogram')
          expect(selector, 'histograms are queried by series').toMatch(/_(bucket|sum|count)$/);
        if (row!.type === 'counter') expect(expr).toMatch(new RegExp(`(rate|increase)\\(${selector}[{[]`));
        used.add(row!.name);
      }
    }
    // What the dashboard is for: request rate, latency, errors, lag, outbox backlog, dead letters.
    expect([...used]).toEqual(
      expect.arrayContaining([
        'tongxin_http_server_requests_total',
        'tongxin_http_server_duration',
        'kafka_consumergroup_lag',
        'tongxin_outbox_pending_documents',
        'tongxin_consumer_messages_total',
      ]),
    );
    expect(exprs.some((e) => e.includes('status=~"5..') && e.includes('tongxin_http_server_requests_total'))).toBe(
      true,
    );
    expect(exprs.some((e) => e.includes('outcome="dead_lettered"'))).toBe(true);
  });

  it('the dashboard’s service filter lists exactly the platform’s services', () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'service');
    expect(variable?.query.split(',').sort()).toEqual([...SERVICE_NAMES].sort());
  });
});
