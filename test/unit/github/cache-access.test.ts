import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFeatureAvailable } from '@actions/cache';
import { cacheFeatureAvailable } from '../../../src/github/cache-access.ts';

// The variables @actions/cache's isFeatureAvailable() reads (the service URLs, the v2 switch,
// GHES through the server URL), in every combination.
const names = ['ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_URL', 'ACTIONS_CACHE_SERVICE_V2', 'GITHUB_SERVER_URL'];
const values: Record<string, string[]> = {
  ACTIONS_RESULTS_URL: ['', 'http://127.0.0.1:1/results/'],
  ACTIONS_CACHE_URL: ['', 'http://127.0.0.1:1/cache/'],
  ACTIONS_CACHE_SERVICE_V2: ['', 'true'],
  GITHUB_SERVER_URL: [
    '',
    'https://github.com',
    'https://ghes.example.com',
    'https://octo.ghe.com',
    'http://github.localhost:3000',
    'https://GITHUB.COM/',
  ],
};

test('cacheFeatureAvailable answers as @actions/cache isFeatureAvailable, in every combination', () => {
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  let available = 0;
  let combinations = 0;
  try {
    const visit = (i: number, env: Record<string, string>) => {
      if (i === names.length) {
        combinations++;
        for (const n of names) {
          if (env[n]) process.env[n] = env[n];
          else delete process.env[n];
        }
        // The main step decides on its own answer whether to restore at all: it must be theirs.
        const ours = cacheFeatureAvailable(process.env);
        assert.equal(ours, isFeatureAvailable(), JSON.stringify(env));
        if (ours) available++;
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
  assert.equal(combinations, 48);
  // Both answers occur: v1 (ACTIONS_CACHE_URL) and v2 (ACTIONS_RESULTS_URL off GHES) alike.
  assert.ok(available > 0 && available < combinations, `${available} of ${combinations}`);
});
