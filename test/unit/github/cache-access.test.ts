import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFeatureAvailable } from '@actions/cache';
import { cacheServiceMayExist } from '../../../src/github/cache-access.ts';

// The variables @actions/cache's isFeatureAvailable() reads (the service URLs, the v2 switch,
// GHES through the server URL), in every combination.
const names = ['ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_URL', 'ACTIONS_CACHE_SERVICE_V2', 'GITHUB_SERVER_URL'];
const values: Record<string, string[]> = {
  ACTIONS_RESULTS_URL: ['', 'http://127.0.0.1:1/results/'],
  ACTIONS_CACHE_URL: ['', 'http://127.0.0.1:1/cache/'],
  ACTIONS_CACHE_SERVICE_V2: ['', 'true'],
  GITHUB_SERVER_URL: ['', 'https://github.com', 'https://ghes.example.com'],
};

test('cacheServiceMayExist is false only where @actions/cache says no cache service, for every combination', () => {
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  let skipped = 0;
  let combinations = 0;
  try {
    const visit = (i: number, env: Record<string, string>) => {
      if (i === names.length) {
        combinations++;
        for (const n of names) {
          if (env[n]) process.env[n] = env[n];
          else delete process.env[n];
        }
        const mayExist = cacheServiceMayExist(process.env);
        const available = isFeatureAvailable();
        // Skipping @actions/cache must never hide a service it would have found.
        if (!mayExist) {
          skipped++;
          assert.equal(available, false, JSON.stringify(env));
        }
        // And with neither URL there is nothing to find.
        if (!env.ACTIONS_RESULTS_URL && !env.ACTIONS_CACHE_URL) assert.equal(mayExist, false);
        return;
      }
      for (const v of values[names[i]!]!) visit(i + 1, { ...env, [names[i]!]: v });
    };
    visit(0, {});
  } finally {
    for (const n of names) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
  }
  assert.equal(combinations, 24);
  assert.equal(skipped, 6);
});
