// `goproxy-action health`: the module health snapshot of a workspace through a module proxy
// (the in-job one, a remote one, or the job's GOPROXY), written as JSON, Markdown, JUnit,
// GitLab code quality and GitHub annotations, compared with a baseline, failing on `--fail-on`.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readHealthInputs, runHealth } from '../health/run-health.ts';
import type { Command } from './run-cli.ts';
import { UsageError } from './usage-error.ts';

const help = `usage: goproxy-action health [options]

Takes a health snapshot of every module@version in the workspace's build list (go list -m all,
or the go.mod files without a go command): resolvable through the proxy, verified against
go.sum, current, deprecated, retracted, allowed by policy, vulnerable; and of the proxy itself.

options:
  --dir DIR             workspace root (default: the current directory)
  --proxy URL           module proxy to probe (default: the in-job proxy of --ready-file, else
                        the first http(s) entry of the job's GOPROXY); credentials from NETRC
  --ready-file FILE     the in-job proxy's ready file: its URL and admin token (statistics)
  --state-dir DIR       the state directory given to 'start' (its ready file is used)
  --policy FILE         policy file (default: DIR/.goproxy.yml when present)
  --vuln-db URL         Go vulnerability database (OSV) at a file:// or https:// base
  --baseline FILE       an earlier snapshot (JSON) to compare with (a missing file is noted)
  --json FILE           write the snapshot (JSON, schema/health-snapshot.schema.json)
  --markdown FILE       write the Markdown report
  --junit FILE          write JUnit XML (one test case per module)
  --codequality FILE    write a GitLab code quality report
  --annotations         print GitHub workflow annotations at the go.mod lines
  --gitlab-mr-note      in a GitLab merge request pipeline: create or update one note with the
                        report (token: the GOPROXY_HEALTH_GITLAB_TOKEN variable)
  --fail-on LIST        retracted,denied,checksum,vuln[:SEVERITY],new-vuln[:SEVERITY],
                        deprecated,unresolvable,missing-sum (default: none)
  --concurrency N       modules probed at once (default 16)
  --timeout MS          deadline of each request to the proxy (default 30000)
  --no-go               do not run the go command; read the go.mod files
  --no-newer-majors     do not look for newer major version paths (/vN)
  --format FORMAT       what goes to stdout: text (default), markdown, json
  -h, --help            show this help`;

export const healthCommand: Command = {
  summary: 'module health snapshot of the workspace and the proxy',
  async run(args) {
    let values: ReturnType<typeof parse>['values'];
    try {
      values = parse(args).values;
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${help}`);
    }
    if (values.help) {
      process.stdout.write(`${help}\n`);
      return 0;
    }
    const format = values.format ?? 'text';
    if (!['text', 'markdown', 'json'].includes(format))
      throw new UsageError(`--format ${format}: write text, markdown or json`);
    const number = (name: string, value: string | undefined, fallback: number, min: number) => {
      if (value === undefined) return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min)
        throw new UsageError(`--${name} ${value}: give a whole number >= ${min}`);
      return n;
    };
    const inputs = await readHealthInputs({
      dir: resolve(values.dir ?? '.'),
      proxy: values.proxy,
      readyFile: values['ready-file'],
      stateDir: values['state-dir'],
      policy: values.policy !== undefined ? resolve(values.policy) : undefined,
      vulnDb: values['vuln-db'],
      failOn: values['fail-on'] ?? '',
      concurrency: number('concurrency', values.concurrency, 16, 1),
      timeoutMs: number('timeout', values.timeout, 30_000, 100),
      useGo: !values['no-go'],
      newerMajors: !values['no-newer-majors'],
      env: process.env,
    });
    const baseline = values.baseline !== undefined ? await readBaseline(resolve(values.baseline)) : null;
    const result = await runHealth(inputs, {
      baseline,
      outputs: {
        json: values.json,
        markdown: values.markdown,
        junit: values.junit,
        codequality: values.codequality,
      },
      progress: process.stderr,
    });
    if (values.annotations) process.stdout.write(result.annotations);
    if (format === 'json') process.stdout.write(`${JSON.stringify(result.snapshot, null, 2)}\n`);
    else if (format === 'markdown') process.stdout.write(result.markdown);
    else process.stdout.write(result.text);
    if (values['gitlab-mr-note']) await writeMrNote(result.markdown);
    for (const line of result.failures) process.stderr.write(`fail-on: ${line}\n`);
    return result.failures.length > 0 ? 1 : 0;
  },
};

/** A note that cannot be written is reported, never fatal: the snapshot itself is done. */
async function writeMrNote(markdown: string): Promise<void> {
  const { mrNoteTarget, upsertMrNote } = await import('../gitlab/health-mr-note.ts');
  const found = mrNoteTarget(process.env);
  if ('notice' in found) {
    process.stderr.write(`${found.notice}\n`);
    return;
  }
  try {
    const done = await upsertMrNote(found.target, markdown);
    process.stderr.write(`health: merge request note ${done.action} (note ${done.noteId})\n`);
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    process.stderr.write(
      `health: could not write the merge request note (${message.replaceAll(found.target.token, '***')}); check that the token has the api scope\n`,
    );
  }
}

async function readBaseline(file: string): Promise<{ text: string; source: string } | null> {
  try {
    return { text: await readFile(file, 'utf8'), source: file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`health: no baseline at ${file} (first run?): nothing to compare with\n`);
      return null;
    }
    throw err;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: false,
    options: {
      dir: { type: 'string' },
      proxy: { type: 'string' },
      'ready-file': { type: 'string' },
      'state-dir': { type: 'string' },
      policy: { type: 'string' },
      'vuln-db': { type: 'string' },
      baseline: { type: 'string' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      junit: { type: 'string' },
      codequality: { type: 'string' },
      annotations: { type: 'boolean' },
      'gitlab-mr-note': { type: 'boolean' },
      'fail-on': { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      'no-go': { type: 'boolean' },
      'no-newer-majors': { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
