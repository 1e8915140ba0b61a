import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

test('cli: an unknown command exits 2 and lists the commands', async () => {
  await assert.rejects(
    run(process.execPath, ['src/cli.ts', 'frobnicate']),
    (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /unknown command 'frobnicate'/);
      assert.match(err.stderr, /serve/);
      return true;
    },
  );
});
