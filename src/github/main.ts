// The action's main step (action.yml `runs.main`): inputs in, proxy started, environment and
// outputs out. Everything with logic lives in the modules it calls.
import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import { STATE_NAME } from './action-state.ts';
import { InputError, readInputs } from './inputs.ts';
import { setupEphemeral } from './setup-ephemeral.ts';
import { setupRemote } from './setup-remote.ts';

async function main(): Promise<void> {
  const inputs = readInputs((name) => core.getInput(name));
  if (inputs.token) core.setSecret(inputs.token);
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  // @actions/cache resolves and archives paths relative to the workspace.
  process.chdir(workspace);
  const ctx = { env: process.env, workspace, runnerTemp: process.env.RUNNER_TEMP || tmpdir() };
  const result =
    inputs.mode === 'remote' ? await setupRemote(inputs, ctx) : await setupEphemeral(inputs, ctx);
  core.saveState(STATE_NAME, JSON.stringify(result.state));
  for (const [name, value] of Object.entries(result.exported)) core.exportVariable(name, value);
  for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
  core.info(`GOPROXY=${result.exported.GOPROXY}`);
  if (result.exported.GOPRIVATE) core.info(`GOPRIVATE=${result.exported.GOPRIVATE}`);
}

try {
  await main();
} catch (err) {
  core.setFailed(err instanceof InputError ? err.message : `goproxy-action: ${(err as Error).message}`);
}
