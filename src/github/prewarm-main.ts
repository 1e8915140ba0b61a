// The prewarm action's step (prewarm/action.yml): inputs in, the engine's prewarm run, the
// report out as the job summary, a JSON file and outputs. Credentials given as inputs are
// masked and reach the engine as a 0600 netrc file or a private variable, as the go command
// would take them.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { readGoEnv } from '../gomod/read-go-env.ts';
import { prewarm } from '../prewarm/prewarm-job.ts';
import { hasFailures } from '../prewarm/prewarm-report.ts';
import { createProgress } from '../prewarm/progress.ts';
import { formatReportMarkdown } from '../prewarm/report-markdown.ts';
import { createCredentialsDir, removeCredentialsDir } from '../remote/credentials-dir.ts';
import { netrcMachineFor, readUserNetrc, userNetrcPath, writeNetrcFile } from '../remote/netrc.ts';
import { redactSecrets } from '../upstream/redact-secrets.ts';
import { InputError, inputReaderFromEnv } from './inputs.ts';
import { gitlabTokenVariable, readPrewarmInputs, tokenVariable } from './prewarm-inputs.ts';

async function main(): Promise<void> {
  const inputs = readPrewarmInputs(inputReaderFromEnv(process.env), process.env);
  const secrets = [inputs.proxyPassword, inputs.proxyToken, inputs.gitlabToken].filter((s) => s !== '');
  for (const secret of secrets) core.setSecret(secret);
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const runnerTemp = process.env.RUNNER_TEMP || tmpdir();
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (inputs.proxyToken) env[tokenVariable] = inputs.proxyToken;
  if (inputs.gitlabToken) env[gitlabTokenVariable] = inputs.gitlabToken;
  let credentialsDir: string | null = null;
  try {
    if (inputs.proxyPassword) {
      credentialsDir = await createCredentialsDir(runnerTemp);
      const netrc = await writeNetrcFile({
        dir: credentialsDir,
        ours: {
          machine: netrcMachineFor(inputs.settings.proxy),
          login: inputs.proxyUsername,
          password: inputs.proxyPassword,
        },
        existing: await readUserNetrc(userNetrcPath(process.env)),
      });
      env.NETRC = netrc;
    }
    const goEnv = await readGoEnv(['GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOSUMDB'], {
      whenGoMissing: 'environment',
    });
    const controller = new AbortController();
    const stop = () => controller.abort(new DOMException('interrupted', 'AbortError'));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const outcome = await prewarm(
      { ...inputs.settings, dir: resolve(workspace, inputs.settings.dir), goEnv, env },
      {
        signal: controller.signal,
        progress: createProgress({
          write: (t) => process.stdout.write(t),
          mode: 'lines',
          intervalMs: 15_000,
        }),
      },
    );
    const { report } = outcome;
    const jsonFile = join(runnerTemp, 'goproxy-prewarm-report.json');
    const markdownFile = join(runnerTemp, 'goproxy-prewarm-report.md');
    const markdown = formatReportMarkdown(report);
    await writeFile(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(markdownFile, markdown);
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
    const t = report.totals;
    core.setOutput('warmed', String(t.warmed));
    core.setOutput('already-warm', String(t.alreadyWarm));
    core.setOutput('failed', String(t.failed));
    core.setOutput('report-file', jsonFile);
    core.setOutput('markdown-file', markdownFile);
    if (outcome.tagModule)
      core.setOutput('tag-module', `${outcome.tagModule.module}@${outcome.tagModule.version}`);
    core.info(
      `prewarm: ${t.warmed} warmed, ${t.alreadyWarm} already warm, ${t.failed} failed, ${t.skipped} skipped of ${t.modules} module versions`,
    );
    for (const m of report.modules.filter((x) => x.status === 'failed')) {
      core.error(redactSecrets(`${m.module}@${m.version}: ${m.reason}`, outcome.secrets), {
        title: m.mismatch ? 'checksum mismatch' : 'prewarm failed',
      });
    }
    if (report.interrupted) core.setFailed('goproxy-action prewarm: interrupted; the report is partial');
    else if (hasFailures(report) && !inputs.allowFailures) {
      core.setFailed(
        `goproxy-action prewarm: ${t.failed} module version(s) failed${t.mismatches ? `, ${t.mismatches} with a CHECKSUM MISMATCH` : ''}; see the job summary`,
      );
    }
  } finally {
    if (credentialsDir) await removeCredentialsDir(credentialsDir);
  }
}

try {
  await main();
} catch (err) {
  core.setFailed(
    err instanceof InputError ? err.message : `goproxy-action prewarm: ${(err as Error).message}`,
  );
}
