#!/usr/bin/env node
// The goproxy-action command line: one engine for GitLab, other CI systems and laptops.
//
// The Node.js version is checked before anything else loads: on an older Node the CLI would
// start and then fail every fetch with an error that names no cause (undici needs 22.19).
// Keep in step with package.json's engines.
const NEEDED = [22, 19] as const;
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < NEEDED[0] || (major === NEEDED[0] && minor < NEEDED[1])) {
  process.stderr.write(
    `goproxy-action needs Node.js ${NEEDED.join('.')} or later (22, 24 or 26), not ${process.versions.node}: use a newer node (for example the node:24 image)\n`,
  );
  process.exit(2);
}

const { runCli } = await import('./cli/run-cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
