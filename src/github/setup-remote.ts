// The main step in remote mode: credentials into a private NETRC (or GOAUTH for a bearer
// token), one probe of the remote proxy, and the go command's environment pointing at it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as core from '@actions/core';
import { isWorkspaceModuleFile } from '../gomod/find-module-files.ts';
import { type GoSumLine, parseGoSum } from '../gomod/go-sum.ts';
import { jobGoEnv, jobPatterns } from '../policy/job-go-env.ts';
import { matchPatternList } from '../policy/patterns.ts';
import { createCredentialsDir, removeCredentialsDir } from '../remote/credentials-dir.ts';
import { writeBearerGoauth } from '../remote/goauth-bearer.ts';
import { netrcMachineFor, readUserNetrc, userNetrcPath, writeNetrcFile } from '../remote/netrc.ts';
import { authorizationFor, type ProbeModule, probeRemoteProxy } from '../remote/probe-remote-proxy.ts';
import type { ActionState } from './action-state.ts';
import { matchKeyFiles } from './cache-key.ts';
import type { ActionInputs } from './inputs.ts';
import { jobSources, loadActionPolicy, type SetupContext, type SetupResult } from './setup-ephemeral.ts';

/** A public module version the project uses (first go.sum line), to ask the remote for. */
async function probeModuleFrom(
  workspace: string,
  privatePatterns: string[],
): Promise<ProbeModule | undefined> {
  const files = (await matchKeyFiles(workspace, ['go.sum', '**/go.sum'])).filter(isWorkspaceModuleFile);
  for (const file of files) {
    let lines: GoSumLine[];
    try {
      lines = parseGoSum(await readFile(join(workspace, file), 'utf8'), file);
    } catch {
      continue;
    }
    for (const line of lines) {
      if (matchPatternList(privatePatterns, line.module, { foldCase: true })) continue;
      return { path: line.module, version: line.version };
    }
  }
  return undefined;
}

export async function setupRemote(inputs: ActionInputs, ctx: SetupContext): Promise<SetupResult> {
  const policy = await loadActionPolicy(inputs.policyFile, ctx.workspace);
  if (policy.path)
    core.warning(
      `the policy's allow/deny rules are enforced by the in-job proxy (mode: ephemeral); with mode: remote only its private patterns are used, and the remote proxy's own rules apply.`,
    );
  for (const secret of [inputs.proxyPassword, inputs.proxyToken]) if (secret) core.setSecret(secret);
  const sources = jobSources(inputs, policy.privatePatterns, await ctx.goEnv);
  const { patterns } = jobPatterns(sources);
  // The probe asks for a module no private pattern of any kind names.
  const privatePatterns = [...patterns.noProxy, ...patterns.noSumDb, ...patterns.private];
  const secret = inputs.proxyPassword || inputs.proxyToken;
  const exported: Record<string, string> = {};
  let credentialsDir: string | undefined;
  try {
    if (secret) {
      credentialsDir = await createCredentialsDir(ctx.runnerTemp);
      if (inputs.proxyAuth === 'bearer') {
        exported.GOAUTH = await writeBearerGoauth({
          dir: credentialsDir,
          proxyUrl: inputs.proxyUrl,
          token: inputs.proxyToken,
        });
      }
      // Even with a bearer token the NETRC carries the user's other entries, so GOAUTH's netrc step finds them.
      const existingPath = userNetrcPath(ctx.env);
      const existing = await readUserNetrc(existingPath);
      const ours =
        inputs.proxyAuth === 'bearer'
          ? undefined
          : {
              machine: netrcMachineFor(inputs.proxyUrl),
              login: inputs.proxyUsername || 'token',
              password: secret,
            };
      if (ours) {
        exported.NETRC = await writeNetrcFile({ dir: credentialsDir, ours, existing });
        core.info(
          `Credentials for ${ours.machine} written to a private NETRC${existing.length > 0 ? ` (with ${existing.length} entries carried over from ${existingPath})` : ''}`,
        );
      }
    }
    const probe = await probeRemoteProxy({
      proxyUrl: inputs.proxyUrl,
      authorization: authorizationFor({
        username: inputs.proxyUsername,
        password: inputs.proxyPassword,
        token: inputs.proxyToken,
        bearer: inputs.proxyAuth === 'bearer',
      }),
      module: await probeModuleFrom(ctx.workspace, privatePatterns),
    });
    core.info(`Remote proxy ${inputs.proxyUrl} ${probe.detail} (HTTP ${probe.status}, ${probe.ms} ms)`);
    const goproxy = inputs.fallback ? `${inputs.proxyUrl},${inputs.fallback}` : inputs.proxyUrl;
    Object.assign(exported, jobGoEnv(sources, { kind: 'list', goproxy }));
    const state: ActionState = {
      mode: 'remote',
      proxyUrl: inputs.proxyUrl,
      stateDir: '',
      prune: false,
      credentialsDir,
    };
    const outputs = {
      'proxy-url': inputs.proxyUrl,
      goproxy,
      'cache-hit': 'false',
      'cache-restore': 'none',
      'cache-key': '',
    };
    return { state, exported, outputs };
  } catch (err) {
    if (credentialsDir) await removeCredentialsDir(credentialsDir);
    throw err;
  }
}
