// Runs `goproxy-action prewarm` from the working tree's sources as a child process, with an
// explicit environment (never the machine's go settings), and reads the JSON report it wrote.
import { type ChildProcess, execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import schema from '../../schema/prewarm-report.schema.json' with { type: 'json' };
import type { PrewarmReport } from '../../src/prewarm/prewarm-report.ts';
import { projectRoot } from './gitlab-ci-local.ts';
import { makeTempDir } from './go-env.ts';

const validateReport = new Ajv({ allErrors: true, validateFormats: false }).compile(schema);

export type PrewarmRun = {
  code: number;
  stdout: string;
  stderr: string;
  report: PrewarmReport | null;
  markdown: string;
};

export function prewarmEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = makeTempDir('prewarm-home');
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GOENV: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    GOSUMDB: 'off',
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
    ...extra,
  };
}

export async function runPrewarmCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; onSpawn?: (child: ChildProcess) => void },
): Promise<PrewarmRun> {
  const out = makeTempDir('prewarm-out');
  const json = join(out, 'report.json');
  const markdown = join(out, 'report.md');
  const argv = [
    join(projectRoot, 'src', 'cli.ts'),
    'prewarm',
    '--json',
    json,
    '--markdown',
    markdown,
    '--progress',
    'lines',
    ...args,
  ];
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const child = execFile(
      process.execPath,
      argv,
      { cwd: options.cwd, env: options.env ?? prewarmEnv(), maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error
          ? typeof (error as { code?: unknown }).code === 'number'
            ? (error as { code: number }).code
            : 1
          : 0;
        done({ code, stdout, stderr });
      },
    );
    options.onSpawn?.(child);
  });
  const report = await readFile(json, 'utf8').then(
    (t) => JSON.parse(t) as PrewarmReport,
    () => null,
  );
  // Every report a test sees is also checked against the documented schema.
  if (report !== null && !validateReport(report)) {
    throw new Error(
      `the prewarm report does not match schema/prewarm-report.schema.json: ${JSON.stringify(validateReport.errors)}`,
    );
  }
  const md = await readFile(markdown, 'utf8').catch(() => '');
  return { ...result, report, markdown: md };
}
