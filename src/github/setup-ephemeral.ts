// The main step in ephemeral mode: restore the blob store, start the in-job proxy detached, and
// point the job's go command at it.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import type { RestoredChain } from '../cachelayers/save-plan.ts';
import { CLIENT_TOKEN_ENV, hideClientToken, newClientToken } from '../daemon/client-token.ts';
import { type RunningProxy, startProxyDetached } from '../daemon/start-proxy.ts';
import { formatBytes } from '../daemon/stats-text.ts';
import { stopProxy } from '../daemon/stop-proxy.ts';
import { type GoSettingName, type GoSettings, type JobGoEnvSources, jobGoEnv } from '../policy/job-go-env.ts';
import { defaultPolicyFile, loadPolicy } from '../policy/load-policy.ts';
import { passGoSettings } from '../policy/passed-go-settings.ts';
import { listStoreBlobs } from '../store/store-listing.ts';
import { unlinkLinksOnPath } from '../tree-walk.ts';
import { parseGoproxyList } from '../upstream/goproxy-list.ts';
import { redactUrlUserinfo } from '../upstream/redact-secrets.ts';
import type { ActionState } from './action-state.ts';
import { cacheAccess, cacheFeatureAvailable } from './cache-access.ts';
import { computeCacheKey } from './cache-key.ts';
import { daemonEnv, gitTokenEnv } from './git-token-env.ts';
import type { ActionInputs } from './inputs.ts';
import type { RestoreKind } from './run-report.ts';
import { restoreStore, storeCacheClient } from './store-layers.ts';
import { prepareStoreDir, STORE_CACHE_PATH } from './store-location.ts';

export type SetupContext = {
  env: NodeJS.ProcessEnv;
  workspace: string;
  runnerTemp: string;
  /** GO_SETTING_NAMES from the step's one `go env` (step-go-env.ts). */
  goEnv: Promise<Record<GoSettingName, string>>;
  /**
   * Resolves, as soon as the module tree's key lookup answers, whether the tree may restore
   * exactly (its newest entry was saved for these dependencies and does not want the store):
   * only then does the store's restore wait for treeExact; otherwise it starts at once.
   */
  treeMayBeExact?: Promise<boolean>;
  /**
   * Resolves true when the module tree was restored exactly (saved for these go.sum files, the
   * whole chain, every module matching go.sum): the store is then not restored (see
   * docs/architecture.md "Store skipped on an exact module tree").
   */
  treeExact?: Promise<boolean>;
};

export type SetupResult = {
  state: ActionState;
  exported: Record<string, string>;
  outputs: Record<string, string>;
  /** The in-job proxy's client token (masked), for lines that show GOPROXY. */
  clientToken?: string;
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
 * What the job's Go environment is computed from (job-go-env.ts, as every surface does): the
 * go command's settings in force, the `private` input and the policy's private patterns.
 */
export function jobSources(
  inputs: ActionInputs,
  policyPatterns: string[],
  goEnv: GoSettings,
): JobGoEnvSources {
  return { goEnv, inputPrivate: inputs.privatePatterns, policyPrivate: policyPatterns };
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
  const sources = jobSources(inputs, policy.privatePatterns, await ctx.goEnv);
  const upstream = inputs.upstream || sources.goEnv.GOPROXY || 'direct';
  for (const entry of parseGoproxyList(upstream)) {
    if (entry.kind === 'url' && entry.credentials)
      core.setSecret(entry.credentials.password || entry.credentials.username);
  }
  const stateDir = await mkdtemp(join(ctx.runnerTemp, 'goproxy-action-'));
  const storeDir = await prepareStoreDir(ctx.workspace);

  const access = cacheAccess(ctx.env);
  // Decided without loading @actions/cache (most of the bundle): it loads only when a restore
  // or save needs it, never for a streamed restore (streamed-restore.ts).
  const available = cacheFeatureAvailable(ctx.env);
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
  // Masked before anything could print GOPROXY: the runner hides it in every later log line.
  const clientToken = inputs.clientToken ? newClientToken() : undefined;
  if (clientToken) core.setSecret(clientToken);
  const git = gitTokenEnv(inputs.token, ctx.env, ctx.env.GITHUB_SERVER_URL || undefined);
  for (const secret of git.secrets) core.setSecret(secret);
  // The upstream travels in the daemon's environment: credentials in it stay out of ps.
  const args = ['--listen', '127.0.0.1:0', '--store', storeDir, '--upstream-env', 'GOPROXY_ACTION_UPSTREAM'];
  args.push('--audit-log', join(stateDir, 'audit.jsonl'));
  // The daemon inherits the job's environment and computes the same sets from it.
  if (inputs.privatePatterns.length > 0) args.push('--private', inputs.privatePatterns.join(','));
  if (policy.path) args.push('--policy', policy.path);
  if (clientToken) args.push('--client-token-env', CLIENT_TOKEN_ENV);
  const launch = async (): Promise<{ proxy: RunningProxy; readyMs: number }> => {
    const startStarted = Date.now();
    const proxy = await startProxyDetached({
      cliPath: bundledCliPath(),
      args,
      // The go settings just read: the daemon need not run `go env` again before it is ready.
      env: {
        ...daemonEnv(ctx.env, git.env),
        GOPROXY_ACTION_UPSTREAM: upstream,
        ...passGoSettings(sources.goEnv),
        ...(clientToken ? { [CLIENT_TOKEN_ENV]: clientToken } : {}),
      },
      stateDir,
      timeoutMs: 30_000,
    });
    return { proxy, readyMs: Date.now() - startStarted };
  };

  let restore: RestoreKind = 'none';
  let matchedKey: string | undefined;
  let chain: RestoredChain | undefined;
  let storeSkipped = false;
  // The tree's answer first, when its key says it may be exact (the restore time below is the
  // store's own, without this wait); else the two restores run side by side.
  const treeMayBeExact = canRestore ? await ctx.treeMayBeExact?.catch(() => false) : false;
  let treeExact = false;
  // The store will most likely not be restored: the proxy starts on the empty store while the
  // tree is restored, rather than after it. Should the tree not be exact after all, that proxy
  // is stopped before the store is restored, and started again on it.
  let early: Promise<{ proxy: RunningProxy; readyMs: number }> | undefined;
  if (treeMayBeExact) {
    early = launch();
    early.catch(() => undefined);
    treeExact = (await ctx.treeExact?.catch(() => false)) === true;
    if (!treeExact) {
      const started = await early.catch(() => undefined);
      early = undefined;
      if (started) await stopProxy({ target: started.proxy, prune: false }).catch(() => undefined);
    }
  }
  const restoreStarted = Date.now();
  // The go command reads what an exact tree holds from GOMODCACHE and asks the proxy for
  // nothing: the store's download and extraction would be wasted. The proxy then starts empty,
  // and what it fetches (a `go mod download` of zips, a tool) comes from upstream, verified as
  // always; post never saves that subset over the complete entry.
  if (treeExact) {
    storeSkipped = true;
    restore = 'exact';
  } else if (canRestore) {
    const restored = await restoreStore(storeCacheClient(), storeDir, key);
    // Restored content: a link in the store's place (or on the way to it) is removed, never used.
    if (await unlinkLinksOnPath(ctx.workspace, STORE_CACHE_PATH)) await prepareStoreDir(ctx.workspace);
    if (restored.note) core.info(`Cache: ${restored.note}`);
    restore = restored.restore;
    chain = restored.chain;
    matchedKey = restored.restoredKeys.at(-1);
  }
  const restoreMs = Date.now() - restoreStarted;
  const listing = await listStoreBlobs(storeDir);
  const listingFile = join(stateDir, 'restored-blobs.json');
  await writeFile(listingFile, JSON.stringify(Object.fromEntries(listing.files)));
  if (storeSkipped)
    core.info(
      'Cache restore: skipped (the module tree restored exactly: the go command needs nothing from the store)',
    );
  else if (canRestore)
    core.info(
      `Cache restore: ${restore}${matchedKey ? ` (${matchedKey}, ${chain?.count ?? 0} entr${chain?.count === 1 ? 'y' : 'ies'})` : ''}, ${listing.files.size} blobs, ${formatBytes(listing.bytes)}, ${restoreMs} ms`,
    );

  const { proxy, readyMs } = await (early ?? launch());
  core.info(
    `Proxy ${proxy.url} ready in ${readyMs} ms${early ? ', started beside the module tree restore' : ''} (pid ${proxy.pid}, upstream ${redactUrlUserinfo(upstream)})`,
  );

  try {
    // The URL the go command (and whoever uses the outputs) must use: with the client path.
    const clientUrl = proxy.goproxy ?? proxy.url;
    if (clientToken && !clientUrl.includes(clientToken))
      throw new Error('the proxy did not report its client URL (is dist/cli.js older than dist/main.js?)');
    const exported = jobGoEnv(sources, { kind: 'proxy', proxyUrl: clientUrl, fallback: inputs.fallback });
    const state: ActionState = {
      mode: 'ephemeral',
      // Shown in the summary: never the token.
      proxyUrl: hideClientToken(clientUrl, clientToken),
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
        ...(storeSkipped ? { storeSkipped } : {}),
      },
    };
    const outputs = {
      'proxy-url': clientUrl,
      goproxy: exported.GOPROXY ?? clientUrl,
      'cache-hit': restore === 'exact' ? 'true' : 'false',
      'cache-restore': restore,
      'cache-key': key,
    };
    return { state, exported, outputs, ...(clientToken ? { clientToken } : {}) };
  } catch (err) {
    // The daemon must not outlive a failed setup.
    await stopProxy({ target: proxy, prune: false }).catch(() => undefined);
    throw err;
  }
}
