#!/usr/bin/env node
// The goproxy-action command line: one engine for GitLab, other CI systems and laptops.
import { runCli } from './cli/run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2));
