// GET /_admin/metrics: the proxy's statistics in the Prometheus text format, read back with a
// parser made for that format, and token-protected like the rest of the admin endpoint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { escapePath } from '../../src/gomod/module-path.ts';
import { writeFixtureModules } from '../support/fixture-modules.ts';
import { startFixtureProxy } from '../support/fixture-proxy.ts';
import { makeTempDir } from '../support/go-env.ts';
import { startTestProxy } from '../support/test-proxy.ts';

type Family = { name: string; type: string; metrics: { value: string; labels?: Record<string, string> }[] };

test('/_admin/metrics equals /_admin/stats, parsed by a Prometheus text parser', async () => {
  const dir = makeTempDir('metrics-upstream');
  await writeFixtureModules(dir, [
    { path: 'example.com/metrics/a', version: 'v1.0.0' },
    { path: 'example.com/metrics/b', version: 'v1.0.0' },
  ]);
  const upstream = await startFixtureProxy({ dir });
  const proxy = await startTestProxy({ upstream: upstream.url });
  try {
    for (const path of ['example.com/metrics/a', 'example.com/metrics/b', 'example.com/metrics/a']) {
      for (const ext of ['info', 'mod', 'zip']) {
        const res = await fetch(`${proxy.url}/${escapePath(path)}/@v/v1.0.0.${ext}`);
        assert.equal(res.status, 200);
        await res.arrayBuffer();
      }
    }
    assert.equal((await fetch(`${proxy.url}/example.com/metrics/none/@v/v1.0.0.info`)).status, 404);

    const unauthorized = await fetch(`${proxy.adminUrl}/metrics`);
    assert.equal(unauthorized.status, 401);
    await unauthorized.arrayBuffer();

    const res = await fetch(`${proxy.adminUrl}/metrics`, {
      headers: { authorization: `Bearer ${proxy.token}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(await res.text()) as Family[];
    const stats = proxy.stats.snapshot();
    const sample = (name: string, kind?: string, quantile?: string) => {
      const family = families.find((f) => f.name === name);
      assert.ok(family, `${name} is exposed`);
      const m = family.metrics.find(
        (x) =>
          (kind === undefined || x.labels?.kind === kind) &&
          (quantile === undefined || x.labels?.quantile === quantile),
      );
      assert.ok(m, `${name}{kind=${kind}} is exposed`);
      return Number(m.value);
    };
    assert.equal(families.find((f) => f.name === 'goproxy_requests_total')?.type, 'COUNTER');
    for (const kind of ['info', 'mod', 'zip'] as const) {
      assert.equal(sample('goproxy_requests_total', kind), stats.byKind[kind].requests);
      assert.equal(sample('goproxy_store_hits_total', kind), stats.byKind[kind].hits);
      assert.equal(sample('goproxy_store_misses_total', kind), stats.byKind[kind].misses);
      assert.equal(sample('goproxy_served_bytes_total', kind), stats.byKind[kind].servedBytes);
      assert.equal(sample('goproxy_upstream_bytes_total', kind), stats.byKind[kind].upstreamBytes);
      assert.equal(sample('goproxy_errors_total', kind), stats.byKind[kind].errors);
      assert.equal(sample('goproxy_request_latency_milliseconds', kind, '0.95'), stats.byKind[kind].p95Ms);
    }
    assert.equal(sample('goproxy_requests_total', 'zip'), 3);
    assert.equal(sample('goproxy_requests_total', 'info'), 4);
    assert.equal(sample('goproxy_unverified_total', 'zip'), stats.byKind.zip.unverified);
    assert.ok(stats.byKind.zip.unverified > 0); // nothing to verify against: served, not stored
    assert.equal(sample('goproxy_modules_seen'), stats.modules.length);
    assert.equal(sample('goproxy_store_added_files_total'), stats.store.addedFiles);

    const om = await fetch(`${proxy.adminUrl}/metrics`, {
      headers: {
        authorization: `Bearer ${proxy.token}`,
        accept: 'application/openmetrics-text; version=1.0.0',
      },
    });
    assert.match(om.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
    const text = await om.text();
    assert.ok(text.endsWith('# EOF\n'));
    assert.match(text, /^# TYPE goproxy_requests counter$/m);
    assert.match(text, /^goproxy_requests_total\{kind="zip"\} 3$/m);
  } finally {
    await proxy.close();
    await upstream.close();
  }
});
