// In-job mode of the goproxy component: `ci start` in before_script and `ci stop` in
// after_script. The template only finds the CLI and calls these; every rule is here.
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beginBuildCacheSession, endBuildCacheSession } from '../buildcache/build-cache-session.ts';
import { CLIENT_TOKEN_ENV, hideClientToken, newClientToken } from '../daemon/client-token.ts';
import { logTail, startProxyDetached } from '../daemon/start-proxy.ts';
import { formatBytes, statsLines } from '../daemon/stats-text.ts';
import { stopProxyInStateDir } from '../daemon/stop-proxy.ts';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { zipsOfModules } from '../modtree/mod-tree.ts';
import { GO_SETTING_NAMES, jobGoEnv } from '../policy/job-go-env.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { passGoSettings } from '../policy/passed-go-settings.ts';
import { listStoreBlobs } from '../store/store-listing.ts';
import { unlinkLinksOnPath } from '../tree-walk.ts';
import { beginModTree, endModTree, type ModTreeSession, readModTreeSession } from './mod-tree-step.ts';
import { BUILD_CACHE_DIR, jobWorkDir, readGitLabJob, STORE_CACHE_DIR } from './predefined-variables.ts';

/** The component's inputs, as the template hands them over in its variables. */
export type ComponentInputs = {
  upstream: string;
  private: string[];
  policyFile: string;
  auditLog: string;
  /** Carry the Go build cache (GOCACHE) in GitLab's cache too (the build-cache input). */
  buildCache: boolean;
  /** Carry the extracted module tree (GOMODCACHE without zips) too (the module-tree input). */
  moduleTree: boolean;
};

export function readComponentInputs(env: NodeJS.ProcessEnv): ComponentInputs {
  return {
    upstream: env.GOPROXY_ACTION_UPSTREAM ?? '',
    private: (env.GOPROXY_ACTION_PRIVATE ?? '').split(',').filter((p) => p !== ''),
    policyFile: env.GOPROXY_ACTION_POLICY_FILE ?? '',
    auditLog: env.GOPROXY_ACTION_AUDIT_LOG ?? '',
    buildCache: (env.GOPROXY_ACTION_BUILD_CACHE ?? 'true') !== 'false',
    moduleTree: (env.GOPROXY_ACTION_MODULE_TREE ?? 'true') !== 'false',
  };
}

const exists = async (path: string): Promise<boolean> => (await stat(path).catch(() => null)) !== null;

/** serve's options for the component's inputs (checked by the caller as serve checks them). */
export function serveArgsFor(
  inputs: ComponentInputs,
  projectDir: string,
  store: string,
  auditFile: string,
): string[] {
  const args = ['--store', store];
  // By name: credentials in the upstream URL stay off the detached proxy's command line.
  if (inputs.upstream) args.push('--upstream-env', 'GOPROXY_ACTION_UPSTREAM');
  for (const pattern of inputs.private) args.push('--private', pattern);
  if (inputs.policyFile) args.push('--policy', resolve(projectDir, inputs.policyFile));
  if (inputs.auditLog) args.push('--audit-log', auditFile);
  return args;
}

/**
 * Starts the proxy detached for this job and returns the go command's environment. The store
 * moves from the cache path into the job's directory (same filesystem: a rename).
 */
export async function startInJob(options: {
  env: NodeJS.ProcessEnv;
  cliPath: string;
  checkServeArgs: (args: string[]) => Promise<void>;
  log: (line: string) => void;
}): Promise<Record<string, string>> {
  const { env, log } = options;
  const job = readGitLabJob(env);
  const inputs = readComponentInputs(env);
  const work = jobWorkDir(job);
  const state = join(work, 'state');
  const store = join(work, 'store');
  const args = serveArgsFor(inputs, job.projectDir, store, join(state, 'audit.jsonl'));
  const loaded = await loadPolicy({
    workspace: job.projectDir,
    ...(inputs.policyFile ? { explicitPath: inputs.policyFile } : {}),
  });
  await rm(work, { recursive: true, force: true });
  await mkdir(state, { recursive: true });
  await options.checkServeArgs(args);
  // GitLab cannot mask a value made at run time: the token goes only into the daemon's
  // environment and the GOPROXY the before_script evaluates, never into a log line.
  const clientToken = newClientToken();
  args.push('--client-token-env', CLIENT_TOKEN_ENV);
  // The tree first: restored exactly, it holds every module the build needs, and the store is
  // not used (as the GitHub Action skips its restore).
  let tree: ModTreeSession | undefined;
  if (inputs.moduleTree) {
    try {
      tree = await beginModTree(job, work, log);
    } catch (err) {
      // Only a speed-up: the go command then downloads through the proxy as without it.
      log(`goproxy: could not prepare the module tree (${(err as Error).message}); GOMODCACHE left as it is`);
    }
  }
  const cached = join(job.projectDir, STORE_CACHE_DIR);
  // Restored content: a link in the store's place is removed, never moved in as the store.
  await unlinkLinksOnPath(job.projectDir, STORE_CACHE_DIR);
  if (tree?.storeSkipped) {
    // GitLab has already restored the entry (one archive for every path): the store is dropped,
    // so this job's entry holds none and the next exact job restores none. A miss goes to the
    // upstream, verified as always; ci stop saves a store only when it gained blobs.
    const restored = await exists(cached);
    await rm(cached, { recursive: true, force: true });
    await mkdir(store, { recursive: true });
    log(
      `goproxy: store: not used (the module tree restored exactly for these go.sum files)${restored ? '; the restored store is dropped from the cache' : ''}: the proxy starts on an empty store`,
    );
  } else if (await exists(cached)) await rename(cached, store);
  else await mkdir(store, { recursive: true });
  const goEnv = await readGoEnv(GO_SETTING_NAMES, { env, whenGoMissing: 'environment' });
  const proxy = await startProxyDetached({
    cliPath: options.cliPath,
    args,
    // The go settings just read: the daemon need not run `go env` again before it is ready.
    env: { ...env, ...passGoSettings(goEnv), [CLIENT_TOKEN_ENV]: clientToken },
    stateDir: state,
    timeoutMs: 30_000,
  });
  log(`goproxy: proxy ${proxy.url} running as pid ${proxy.pid}; log: ${proxy.logFile}`);
  const clientUrl = proxy.goproxy ?? proxy.url;
  if (!clientUrl.includes(clientToken))
    throw new Error('the proxy did not report its client URL (is the CLI that started it an older one?)');
  const exported = jobGoEnv(
    { goEnv, inputPrivate: inputs.private, policyPrivate: loaded.policy?.private ?? [] },
    { kind: 'proxy', proxyUrl: clientUrl },
  );
  if (inputs.buildCache) exported.GOCACHE = await beginBuildCache(job.projectDir, work, log);
  if (tree) exported.GOMODCACHE = tree.gomodcache;
  log(
    `goproxy: ${Object.entries(exported)
      // GOCACHE and GOMODCACHE have their own lines
      .filter(([name]) => name !== 'GOSUMDB' && name !== 'GOCACHE' && name !== 'GOMODCACHE')
      .map(([name, value]) => `${name}=${hideClientToken(value, clientToken)}`)
      .join(' ')}`,
  );
  return exported;
}

/**
 * Stops the job's proxy (pruning what it did not serve when the job succeeded), keeps the
 * audit log if asked, and moves the store back to the cache path. Never fails the job: each
 * problem is said and the rest still happens, so the cache keeps its verified blobs.
 */
export async function stopInJob(options: {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}): Promise<void> {
  const { env, log } = options;
  const job = readGitLabJob(env);
  const inputs = readComponentInputs(env);
  const work = jobWorkDir(job);
  const state = join(work, 'state');
  if (!(await exists(state))) {
    log('goproxy: no proxy was started in this job (before_script did not run to the end)');
    return;
  }
  const succeeded = job.jobStatus === 'success';
  const logFile = join(state, 'proxy.log');
  const tree = await readModTreeSession(work);
  try {
    // A failed job may have stopped before using everything: keep the whole store then. With a
    // restored module tree the go command asked the proxy only for what the tree lacked: "not
    // served" no longer means "not used", so nothing is pruned (as in the GitHub Action).
    const prune = succeeded && (tree?.kept ?? 0) === 0;
    if (succeeded && !prune) log('goproxy: store not pruned: the module tree served this job');
    const result = await stopProxyInStateDir(state, { prune });
    for (const line of statsLines(result.stats, result.pruned)) log(line);
    if (!succeeded)
      log(`goproxy: the job did not succeed; the end of the proxy's log:\n${await logTail(logFile)}`);
  } catch (err) {
    log(
      `goproxy: could not stop the proxy cleanly (${(err as Error).message}); the end of its log:\n${await logTail(logFile)}`,
    );
  }
  const audit = join(state, 'audit.jsonl');
  if (inputs.auditLog && (await exists(audit))) {
    await cp(audit, join(job.projectDir, inputs.auditLog));
    log(`goproxy: audit log kept as ${inputs.auditLog}`);
  }
  const cached = join(job.projectDir, STORE_CACHE_DIR);
  await rm(cached, { recursive: true, force: true });
  let storeWanted = false;
  if (tree?.storeSkipped) {
    // The store was not used: saved only when the proxy still stored blobs (a request the tree
    // could not answer). Zips of modules the tree holds (`go mod download`) mark the tree, so
    // later exact jobs keep the store.
    const { files } = await listStoreBlobs(join(work, 'store'));
    storeWanted = zipsOfModules(files.keys(), tree.keptModules ?? []);
    if (files.size === 0) {
      await rm(join(work, 'store'), { recursive: true, force: true });
      log(
        'goproxy: store: not saved (not used: the module tree restored exactly, and the proxy stored nothing)',
      );
    } else
      log(
        `goproxy: store: saved with the ${files.size} files the proxy stored${storeWanted ? ' (zips of modules the tree holds: later jobs keep the store)' : ''}`,
      );
  }
  if (await exists(join(work, 'store'))) await rename(join(work, 'store'), cached);
  await endBuildCache(job.projectDir, work, succeeded, log);
  if (tree) {
    try {
      await endModTree(job.projectDir, tree, { succeeded, storeWanted }, log);
    } catch (err) {
      log(`goproxy: could not hand the module tree to the cache (${(err as Error).message})`);
    }
  }
  await rm(work, { recursive: true, force: true });
}

/**
 * The build cache, like the store, lives next to the checkout while the job runs and goes back
 * into the project directory for GitLab's cache. Its restored entries are aged so that the go
 * command's own marks show which ones the job used (build-cache-session.ts). Returns GOCACHE.
 */
export async function beginBuildCache(
  projectDir: string,
  work: string,
  log: (line: string) => void,
): Promise<string> {
  const dir = join(work, 'gocache');
  const cached = join(projectDir, BUILD_CACHE_DIR);
  await rm(dir, { recursive: true, force: true });
  // Restored content: a link in the cache's place is removed, never moved in as GOCACHE.
  await unlinkLinksOnPath(projectDir, BUILD_CACHE_DIR);
  if (await exists(cached)) await rename(cached, dir);
  else await mkdir(dir, { recursive: true });
  try {
    const begun = await beginBuildCacheSession(dir, join(work, 'gocache.json'));
    log(`goproxy: build cache: ${begun.entries} entries restored (${formatBytes(begun.bytes)})`);
  } catch (err) {
    log(
      `goproxy: could not prepare the build cache (${(err as Error).message}); it is used as restored, without pruning`,
    );
  }
  log(`goproxy: GOCACHE=${dir}`);
  return dir;
}

/** Prunes what a successful job did not use, then hands the build cache to GitLab's cache. */
async function endBuildCache(
  projectDir: string,
  work: string,
  succeeded: boolean,
  log: (line: string) => void,
): Promise<void> {
  const dir = join(work, 'gocache');
  if (!(await exists(dir))) return;
  const session = join(work, 'gocache.json');
  if (await exists(session)) {
    try {
      const end = await endBuildCacheSession(dir, session, succeeded);
      log(
        `goproxy: build cache: ${end.used} restored entries used, ${end.added} added (${formatBytes(end.addedBytes)})` +
          (succeeded
            ? `, ${end.pruned} unused pruned (${formatBytes(end.prunedBytes)}), ${end.partners} kept as partners of used outputs`
            : '; nothing removed (the job did not succeed)'),
      );
    } catch (err) {
      log(`goproxy: could not prune the build cache (${(err as Error).message}); it is saved as it is`);
    }
  }
  const cached = join(projectDir, BUILD_CACHE_DIR);
  await rm(cached, { recursive: true, force: true });
  await rename(dir, cached);
}
