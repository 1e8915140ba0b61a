// The release helpers: the lock check finds a missing platform package wherever Node would
// look for it, and the changelog reader returns exactly one version's notes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changelogNotes } from '../../scripts/changelog-notes.ts';
import { missingOptionals } from '../../scripts/check-lock.ts';

test('check-lock: every optional dependency must resolve from its dependent, nested or hoisted', () => {
  const packages: Record<string, { optionalDependencies?: Record<string, string> }> = {
    '': {},
    'node_modules/esbuild': {
      optionalDependencies: { '@esbuild/linux-x64': '1', '@esbuild/darwin-arm64': '1' },
    },
    'node_modules/@esbuild/linux-x64': {},
    'node_modules/tool/node_modules/esbuild': { optionalDependencies: { '@esbuild/win32-x64': '1' } },
    'node_modules/tool/node_modules/@esbuild/win32-x64': {},
  };
  assert.deepEqual(missingOptionals({ lockfileVersion: 3, packages }), [
    'node_modules/esbuild -> @esbuild/darwin-arm64',
  ]);
  packages['node_modules/@esbuild/darwin-arm64'] = {};
  assert.deepEqual(missingOptionals({ lockfileVersion: 3, packages }), []);
});

test('changelog-notes: the section of one version, with or without v, brackets or a date', () => {
  const changelog =
    '# Changelog\n\n## Unreleased\n\n- next\n\n## [1.2.0] - 2026-11-30\n\n- two\n- more\n\n## 1.1.0\n\n- one\n';
  assert.equal(changelogNotes(changelog, '1.2.0'), '- two\n- more');
  assert.equal(changelogNotes(changelog, '1.1.0'), '- one');
  assert.equal(changelogNotes(changelog, '1.1'), '');
  assert.equal(changelogNotes(changelog, '9.9.9'), '');
});
