// The action's main step (action.yml `runs.main`): inputs in, proxy started, environment and
// outputs out. Everything with logic lives in the modules it calls.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { hideClientToken } from '../daemon/client-token.ts';
import { formatCheckReport } from '../policy/check-format.ts';
import { STATE_NAME } from './action-state.ts';
import { setupBuildCache } from './build-cache-step.ts';
import { checkJobEnvironment } from './environment-check.ts';
import { InputError, readInputs } from './inputs.ts';
import { setupModTree } from './mod-tree-step.ts';
import { setupEphemeral } from './setup-ephemeral.ts';
import { setupRemote } from './setup-remote.ts';
import { readStepGoEnv } from './step-go-env.ts';

async function main(): Promise<void> {
  const inputs = readInputs((name) => core.getInput(name));
  if (inputs.token) core.setSecret(inputs.token);
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  // @actions/cache resolves and archives paths relative to the workspace.
  process.chdir(workspace);
  // One `go env` serves every setup below, started now, beside them (step-go-env.ts).
  const goEnv = readStepGoEnv(process.env);
  const ctx = { env: process.env, workspace, runnerTemp: process.env.RUNNER_TEMP || tmpdir(), goEnv };
  // When each of the parallel parts was done, from here: which one the step waits for.
  const started = Date.now();
  const doneAt: string[] = [];
  const timed = <T>(name: string, p: Promise<T>): Promise<T> =>
    p.finally(() => doneAt.push(`${name} ${Date.now() - started} ms`));
  // The build cache is restored while the mode's setup restores the store and starts the
  // proxy: the two downloads and extractions are independent.
  const buildCacheSetup = inputs.buildCache
    ? timed(
        'build cache',
        mkdtemp(join(ctx.runnerTemp, 'goproxy-action-gocache-')).then((stateDir) =>
          setupBuildCache({ env: process.env, workspace, stateDir, goEnv }),
        ),
      )
    : Promise.resolve(undefined);
  // A failure of one must not leave the other's rejection unobserved.
  buildCacheSetup.catch(() => undefined);
  // What the tree's key lookup says, before its download: the store's restore waits for the
  // tree's result only when the newest tree entry was saved for these dependencies (then the
  // tree is likely exact and the store not needed); otherwise it starts at once, beside it.
  let treeLookedUp: (mayBeExact: boolean) => void = () => {};
  const treeMayBeExact = new Promise<boolean>((resolve) => {
    treeLookedUp = resolve;
  });
  // The extracted module tree (GOMODCACHE without zips) too: a third download at the same time.
  const modTreeSetup =
    inputs.cache && inputs.moduleTree
      ? timed(
          'module tree',
          mkdtemp(join(ctx.runnerTemp, 'goproxy-action-modtree-')).then((stateDir) =>
            setupModTree({
              env: process.env,
              workspace,
              stateDir,
              cacheKeyFiles: inputs.cacheKeyFiles,
              goEnv,
              onLookup: (lookup) => treeLookedUp(lookup.sameDependencies && !lookup.storeWanted),
            }),
          ),
        )
      : Promise.resolve(undefined);
  modTreeSetup.catch(() => undefined);
  // No lookup made (no tree carried, no cache service, a failure): nothing to wait for.
  modTreeSetup.then(
    () => treeLookedUp(false),
    () => treeLookedUp(false),
  );
  // An exact tree makes the store's restore unneeded (setup-ephemeral.ts).
  const treeExact = modTreeSetup.then(
    (tree) => {
      if (tree?.restore === 'exact' && tree.storeWanted)
        core.info(
          'Cache: the module tree restored exactly, but an earlier such run still asked the proxy for modules (go mod download wants the zips the tree does not carry): the store is restored too.',
        );
      return tree?.restore === 'exact' && tree.storeWanted !== true;
    },
    () => false,
  );
  const result = await timed(
    'proxy',
    inputs.mode === 'remote'
      ? setupRemote(inputs, ctx)
      : setupEphemeral(inputs, { ...ctx, treeMayBeExact, treeExact }),
  );
  const buildCache = await buildCacheSetup;
  const modTree = await modTreeSetup.catch((err: Error) => {
    // The tree only saves time: without it the go command downloads through the proxy.
    core.warning(`goproxy-action: the module tree was not restored: ${err.message}`);
    return undefined;
  });
  core.info(`Setup done: ${doneAt.join(', ')}`);
  if (modTree) {
    result.state.modTree = modTree;
    result.outputs['module-tree-restore'] = modTree.restore;
    if (modTree.note) core.info(`Module tree: ${modTree.note}`);
    core.info(
      `Module tree restore: ${modTree.restore}${modTree.restoredKeys.length > 0 ? ` (${modTree.restoredKeys.join(' + ')})` : ''}, ${modTree.kept} modules kept, ${modTree.pruned} pruned (not in go.sum), ${modTree.mismatched.length} removed (.ziphash not as go.sum records)${modTree.mismatched.length > 0 ? `: ${modTree.mismatched.join(', ')}` : ''}, ${modTree.restoreMs} ms`,
    );
    if (modTree.phases)
      core.info(
        `Module tree restore timing (since it began): ${Object.entries(modTree.phases)
          .map(([phase, ms]) => `${phase} ${ms} ms`)
          .join(', ')}`,
      );
  }
  if (buildCache) {
    result.state.buildCache = buildCache;
    result.exported.GOCACHE = buildCache.dir;
    result.outputs['build-cache-key'] = buildCache.restoredKeys.at(-1) ?? '';
  }
  result.state.restoreStartedAt = started;
  result.state.restoreDoneAt = Date.now();
  core.saveState(STATE_NAME, JSON.stringify(result.state));
  for (const [name, value] of Object.entries(result.exported)) core.exportVariable(name, value);
  for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
  // The runner masks the token too; the line never depends on it.
  core.info(`GOPROXY=${hideClientToken(result.exported.GOPROXY ?? '', result.clientToken)}`);
  if (result.exported.GOPRIVATE) core.info(`GOPRIVATE=${result.exported.GOPRIVATE}`);
  const report = await checkJobEnvironment({
    workspace,
    policyFile: inputs.policyFile,
    env: process.env,
    exported: result.exported,
  });
  // Workflow commands on stdout become annotations at the file and line they name.
  if (report.findings.length > 0) process.stdout.write(formatCheckReport(report, 'github'));
  if (report.errors > 0) {
    core.setFailed(
      `goproxy-action: ${report.errors} policy or environment error(s), see the annotations. Fix them, or set their severity in the policy's lint: section.`,
    );
  }
}

try {
  await main();
} catch (err) {
  core.setFailed(err instanceof InputError ? err.message : `goproxy-action: ${(err as Error).message}`);
}
