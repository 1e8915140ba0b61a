#!/usr/bin/env node
// The goproxy-action command line: one engine for GitLab, other CI systems and laptops.
//
// The Node.js version is checked before the commands load (they are imported only after the
// check): on an older Node the CLI would fail later, with an error that names no cause.
import { nodeVersionProblem } from './node-version.ts';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}

const [name, ...rest] = process.argv.slice(2);
if (name === 'serve') {
  // The proxy's start-up: its own bundle (dist/serve.js), not the command table's chunks.
  const { runServe } = await import('./cli/serve-main.ts');
  process.exitCode = await runServe(rest);
} else {
  const { runCli } = await import('./cli/run-cli.ts');
  process.exitCode = await runCli(process.argv.slice(2));
}
