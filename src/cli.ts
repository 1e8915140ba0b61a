#!/usr/bin/env node
// The goproxy-action command line: one engine for GitLab, other CI systems and laptops.
//
// The Node.js version is checked before the commands load (they are imported only after the
// check): on an older Node the CLI would fail later, with an error that names no cause.
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { nodeVersionProblem } from './node-version.ts';
import { userCacheDir } from './proxy/user-cache-dir.ts';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}

const [name, ...rest] = process.argv.slice(2);
if (name === 'serve') {
  // V8's compiled code for the bundle, kept between starts in the user's cache dir (Node
  // checks each entry against the source file and its own version, and skips a cache it cannot
  // write). Compiling dist/serve.js is most of what serve costs before ready beyond a bare Node
  // server (bench/engine-startup.ts); a second start on a machine (a laptop, a self-hosted
  // runner, a job restarting the proxy) skips it. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  enableCompileCache(join(userCacheDir(), 'goproxy-action', 'node-compile-cache'));
  // The proxy's start-up: its own bundle (dist/serve.js), not the command table's chunks.
  const { runServe } = await import('./cli/serve-main.ts');
  process.exitCode = await runServe(rest);
} else {
  const { runCli } = await import('./cli/run-cli.ts');
  process.exitCode = await runCli(process.argv.slice(2));
}
