// The main step in ephemeral mode: restore the blob store, start the in-job proxy detached, and
// point the job's go command at it.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import type { RestoredChain } from '../cachelayers/save-plan.ts';
import { startProxyDetached } from '../daemon/start-proxy.ts';
import { formatBytes } from '../daemon/stats-text.ts';
import { stopProxy } from '../daemon/stop-proxy.ts';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { clientEnvForProxy, privatePatternsFrom } from '../policy/client-env.ts';
import { defaultPolicyFile, loadPolicy } from '../policy/load-policy.ts';
import type { ActionState } from './action-state.ts';
import { cacheAccess } from './cache-access.ts';
import { computeCacheKey } from './cache-key.ts';
import { daemonEnv, gitTokenEnv } from './git-token-env.ts';
import type { ActionInputs } from './inputs.ts';
import type { RestoreKind } from './run-report.ts';
import { restoreStore, storeCacheClient } from './store-layers.ts';
import { listStoreBlobs, prepareStoreDir } from './store-location.ts';

export type SetupContext = {
  env: NodeJS.ProcessEnv;
  workspace: string;
  runnerTemp: string;
};

export type SetupResult = {
  state: ActionState;
  exported: Record<string, string>;
  outputs: Record<string, string>;
};

/**
 * The policy in force (the policy-file input, else the workspace's .goproxy.yml if present):
 * its private patterns join the union, and its path goes to the proxy, which enforces it.
 */
export async function loadActionPolicy(
  policyFile: string,
  workspace: string,
): Promise<{ privatePatterns: string[]; path?: string }> {
  const loaded = await loadPolicy({ explicitPath: policyFile || undefined, workspace });
  if (loaded.message) core.info(loaded.message);
  if (!loaded.policy) return { privatePatterns: [] };
  return {
    privatePatterns: loaded.policy.private,
    path: resolve(workspace, policyFile || defaultPolicyFile),
  };
}

/**
 * Private patterns are the union of the input, the policy's and any already in the job's
 * GOPRIVATE/GONOPROXY/GONOSUMDB: a module someone marked private must never reach a public
 * upstream just because the action took over GOPROXY.
 */
export function jobPrivatePatterns(
  inputs: ActionInputs,
  policyPatterns: string[],
  env: NodeJS.ProcessEnv,
): string[] {
  return privatePatternsFrom(
    inputs.privatePatterns,
    policyPatterns,
    env.GOPRIVATE,
    env.GONOPROXY,
    env.GONOSUMDB,
  );
}

/** The bundled CLI sits next to main.js in dist/. */
function bundledCliPath(): string {
  return fileURLToPath(new URL('./cli.js', import.meta.url));
}

export async function setupEphemeral(inputs: ActionInputs, ctx: SetupContext): Promise<SetupResult> {
  const policy = await loadActionPolicy(inputs.policyFile, ctx.workspace);
  if (policy.path && inputs.fallback)
    throw new Error(
      `input 'fallback' would let the go command route around the policy (${policy.path}) whenever the proxy refuses a module; remove 'fallback' or the policy`,
    );
  const goEnv = await readGoEnv(['GOPROXY', 'GOSUMDB'], { env: ctx.env });
  const upstream = inputs.upstream || goEnv.GOPROXY || 'direct';
  const privatePatterns = jobPrivatePatterns(inputs, policy.privatePatterns, ctx.env);
  const stateDir = await mkdtemp(join(ctx.runnerTemp, 'goproxy-action-'));
  const storeDir = await prepareStoreDir(ctx.workspace);

  const access = cacheAccess(ctx.env);
  const available = cache.isFeatureAvailable();
  // Reads and writes are allowed separately (ACTIONS_CACHE_MODE read / write-only).
  const cacheEnabled = inputs.cache && available;
  const canRestore = cacheEnabled && access.read;
  if (inputs.cache && !available)
    core.info(
      'No cache service in this job (ACTIONS_RESULTS_URL/ACTIONS_CACHE_URL unset): the store is not restored or saved.',
    );
  if (inputs.cache && available && !access.read)
    core.info(`The cache mode '${access.mode}' does not allow reads: starting with an empty store.`);
  const { key, files } = await computeCacheKey(ctx.workspace, inputs.cacheKeyFiles);
  if (files.length === 0)
    core.warning(
      `No file matches cache-key-files (${inputs.cacheKeyFiles.join(', ')}): the cache key will not change when dependencies do.`,
    );
  let restore: RestoreKind = 'none';
  let matchedKey: string | undefined;
  let chain: RestoredChain | undefined;
  const restoreStarted = Date.now();
  if (canRestore) {
    const restored = await restoreStore(storeCacheClient(), storeDir, key);
    if (restored.note) core.info(`Cache: ${restored.note}`);
    restore = restored.restore;
    chain = restored.chain;
    matchedKey = restored.restoredKeys.at(-1);
  }
  const restoreMs = Date.now() - restoreStarted;
  const listing = await listStoreBlobs(storeDir);
  const listingFile = join(stateDir, 'restored-blobs.json');
  await writeFile(listingFile, JSON.stringify(Object.fromEntries(listing.files)));
  if (canRestore)
    core.info(
      `Cache restore: ${restore}${matchedKey ? ` (${matchedKey}, ${chain?.count ?? 0} entr${chain?.count === 1 ? 'y' : 'ies'})` : ''}, ${listing.files.size} blobs, ${formatBytes(listing.bytes)}, ${restoreMs} ms`,
    );

  const git = gitTokenEnv(inputs.token, ctx.env, ctx.env.GITHUB_SERVER_URL || undefined);
  for (const secret of git.secrets) core.setSecret(secret);
  const args = ['--listen', '127.0.0.1:0', '--store', storeDir, '--upstream', upstream];
  args.push('--audit-log', join(stateDir, 'audit.jsonl'));
  if (privatePatterns.length > 0) args.push('--private', privatePatterns.join(','));
  if (policy.path) args.push('--policy', policy.path);
  const startStarted = Date.now();
  const proxy = await startProxyDetached({
    cliPath: bundledCliPath(),
    args,
    env: daemonEnv(ctx.env, git.env),
    stateDir,
    timeoutMs: 30_000,
  });
  core.info(
    `Proxy ${proxy.url} ready in ${Date.now() - startStarted} ms (pid ${proxy.pid}, upstream ${upstream})`,
  );

  try {
    const exported = clientEnvForProxy({
      proxyUrl: proxy.url,
      fallback: inputs.fallback,
      privatePatterns,
      gosumdb: goEnv.GOSUMDB ?? '',
    });
    const state: ActionState = {
      mode: 'ephemeral',
      proxyUrl: proxy.url,
      stateDir,
      storeDir,
      pid: proxy.pid,
      prune: inputs.cachePrune,
      cache: {
        enabled: cacheEnabled,
        writable: access.write,
        key,
        restore,
        matchedKey,
        chain,
        restoreMs,
        restoredBlobs: listing.files.size,
        restoredBytes: listing.bytes,
        listingFile,
      },
    };
    const outputs = {
      'proxy-url': proxy.url,
      goproxy: exported.GOPROXY ?? proxy.url,
      'cache-hit': restore === 'exact' ? 'true' : 'false',
      'cache-restore': restore,
      'cache-key': key,
    };
    return { state, exported, outputs };
  } catch (err) {
    // The daemon must not outlive a failed setup.
    await stopProxy({ target: proxy, prune: false }).catch(() => undefined);
    throw err;
  }
}
