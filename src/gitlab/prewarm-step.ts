// The prewarm component (templates/prewarm.yml): `ci prewarm` turns the component's inputs, as
// the template's GOPROXY_ACTION_PREWARM_* variables carry them, into the options of
// `goproxy-action prewarm`, which then runs in the same process. Credentials stay in the
// variables the inputs name: only those names become options, never the values.
/** The report artifacts the template keeps, relative to the job's directory. */
export const PREWARM_REPORT_JSON = 'goproxy-prewarm.json';
export const PREWARM_REPORT_MARKDOWN = 'goproxy-prewarm.md';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A comma-separated input as a list: split as written, each item trimmed, empty items dropped.
 * Globs are kept as text (the prewarm sources expand them below the project directory).
 */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function flag(env: NodeJS.ProcessEnv, name: string, input: string): boolean {
  const value = env[`GOPROXY_ACTION_PREWARM_${name}`] ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`the ${input} input is '${value}'; write true or false`);
}

function variableName(env: NodeJS.ProcessEnv, name: string, input: string): string {
  const value = (env[`GOPROXY_ACTION_PREWARM_${name}`] ?? '').trim();
  if (value !== '' && !VARIABLE_NAME.test(value))
    throw new Error(
      `the ${input} input is '${value}', which is not a variable name; give the NAME of the CI/CD variable holding the token (e.g. PROXY_TOKEN), never the token itself`,
    );
  return value;
}

/**
 * The `goproxy-action prewarm` options for the component's inputs. The workspace, the paths in
 * the inputs and the reports are relative to the job's directory, where GitLab starts every
 * script (CI_PROJECT_DIR; read from the directory, not the variable, which runners such as
 * gitlab-ci-local's shell executor may set to a path the job does not run in). GitLab's other
 * predefined variables are read by prewarm itself: CI_SERVER_URL (the GitLab sources) and
 * CI_COMMIT_TAG (--tag).
 */
export function prewarmArgs(env: NodeJS.ProcessEnv): string[] {
  const proxy = (env.GOPROXY_ACTION_PREWARM_PROXY ?? '').trim();
  if (proxy === '') throw new Error('the proxy-url input is empty; set it to the module proxy to warm');
  const args = ['--proxy', proxy];
  const concurrency = (env.GOPROXY_ACTION_PREWARM_CONCURRENCY ?? '').trim();
  if (concurrency !== '') {
    if (!/^[0-9]+$/.test(concurrency) || Number(concurrency) < 1)
      throw new Error(`the concurrency input is '${concurrency}'; give a whole number of 1 or more`);
    args.push('--concurrency', concurrency);
  }
  const tokenVariable = variableName(env, 'TOKEN_VARIABLE', 'proxy-token-variable');
  if (tokenVariable !== '') args.push('--token-env', tokenVariable);
  for (const files of splitList(env.GOPROXY_ACTION_PREWARM_FILES)) args.push('--files', files);
  const list = (env.GOPROXY_ACTION_PREWARM_LIST ?? '').trim();
  if (list !== '') args.push('--list', list);
  for (const module of splitList(env.GOPROXY_ACTION_PREWARM_MODULES)) args.push('--module', module);
  if (flag(env, 'TAG', 'tag')) args.push('--tag');
  const group = (env.GOPROXY_ACTION_PREWARM_GITLAB_GROUP ?? '').trim();
  if (group !== '') args.push('--gitlab-group', group);
  if (flag(env, 'GITLAB_SUBGROUPS', 'gitlab-subgroups')) args.push('--gitlab-subgroups');
  for (const project of splitList(env.GOPROXY_ACTION_PREWARM_GITLAB_PROJECTS))
    args.push('--gitlab-project', project);
  const ref = (env.GOPROXY_ACTION_PREWARM_GITLAB_REF ?? '').trim();
  if (ref !== '') args.push('--gitlab-ref', ref);
  const gitlabTokenVariable = variableName(env, 'GITLAB_TOKEN_VARIABLE', 'gitlab-token-variable');
  if (gitlabTokenVariable !== '') args.push('--gitlab-token-env', gitlabTokenVariable);
  if (flag(env, 'ALLOW_PRIVATE', 'allow-private')) args.push('--allow-private');
  if (flag(env, 'SUMDB', 'sumdb')) args.push('--sumdb');
  args.push(
    '--json',
    PREWARM_REPORT_JSON,
    '--markdown',
    PREWARM_REPORT_MARKDOWN,
    // A job log is no terminal: one line per step of progress.
    '--progress',
    'lines',
  );
  return args;
}
