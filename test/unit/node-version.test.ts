// The CLI's Node.js check (issue 8 item 14): older lines get one line saying what is needed;
// every supported line passes; package.json's engines says the same.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MIN_NODE_VERSION, nodeVersionProblem } from '../../src/node-version.ts';

const root = join(import.meta.dirname, '..', '..');

test('node version: 20 and 22 before 22.19 are refused in one line naming what is needed; 22.19+, 24, 26 pass', () => {
  for (const old of ['20.20.2', 'v18.0.0', '22.18.9', '22.0.0', '21.99.0']) {
    const problem = nodeVersionProblem(old);
    assert.ok(problem, old);
    assert.match(
      problem,
      /^goproxy-action needs Node\.js 22\.19\.0 or later \(22, 24 or 26\), not v?[\d.]+: use a newer node/,
    );
    assert.doesNotMatch(problem, /\n/);
  }
  for (const ok of ['22.19.0', '22.23.5', '23.0.0', '24.21.0', 'v26.12.1', '30.0.0'])
    assert.equal(nodeVersionProblem(ok), null, ok);
});

test("node version: package.json's engines is the CLI's minimum", () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    engines: { node: string };
  };
  assert.equal(manifest.engines.node, `>=${MIN_NODE_VERSION}`);
});

test('node version: the CLI refuses an old Node before loading any command (exit 2, one line)', () => {
  // An old Node, as the CLI sees it: process.versions.node replaced before the entry runs.
  const fake = `Object.defineProperty(process.versions, 'node', { value: '20.20.2' });`;
  const result = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(fake)}`, join(root, 'src', 'cli.ts'), 'serve'],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, `${nodeVersionProblem('20.20.2')}\n`);
  // The same entry on this Node runs the commands.
  assert.match(
    execFileSync(process.execPath, [join(root, 'src', 'cli.ts'), '--help'], { encoding: 'utf8' }),
    /usage: goproxy-action/,
  );
});
