// GitLab's dotenv report (artifacts:reports:dotenv): variables a job hands to later jobs.
// GitLab rejects the whole report when one rule is broken, so the rules are checked here, with
// a message that says which variable broke which rule.

/** GitLab's limit for a dotenv report, in bytes. */
export const DOTENV_MAX_BYTES = 5 * 1024;

const NAME = /^[A-Za-z0-9_]+$/;

/**
 * Names that must never travel in a report: later jobs can read it (and anyone who can read
 * the pipeline's artifacts), so credentials and paths to credential files stay out. Later jobs
 * rebuild their NETRC from the CI/CD variables instead.
 */
const FORBIDDEN_NAMES = new Set(['NETRC', 'GOAUTH', 'CI_JOB_TOKEN', 'GOPROXY_ACTION_ADMIN_TOKEN']);

export class DotenvError extends Error {
  override name = 'DotenvError';
}

export type DotenvOptions = {
  /** Secret values (passwords, tokens) that must not appear in any value, even as a part. */
  secrets?: string[];
};

/**
 * Renders variables as a dotenv report: `NAME=value` lines in the order given, empty values
 * left out (GitLab's parser has no use for them), at most 5 KB in all.
 */
export function renderDotenv(variables: Record<string, string>, options: DotenvOptions = {}): string {
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  const lines: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (!NAME.test(name))
      throw new DotenvError(
        `'${name}' cannot be a dotenv variable name: GitLab accepts only letters, digits and '_'`,
      );
    if (FORBIDDEN_NAMES.has(name))
      throw new DotenvError(
        `${name} must not go into a dotenv report: later jobs (and anyone reading the pipeline's artifacts) would get it; they rebuild it from CI/CD variables instead`,
      );
    if (/[\r\n\0]/.test(value))
      throw new DotenvError(
        `the value of ${name} has a line break or NUL; GitLab's dotenv reports hold one line per variable`,
      );
    if (/^\s|\s$/.test(value))
      throw new DotenvError(
        `the value of ${name} starts or ends with white space, which GitLab's dotenv parser drops; trim it`,
      );
    if (secrets.some((secret) => value.includes(secret)))
      throw new DotenvError(
        `the value of ${name} contains a secret; a dotenv report is readable by later jobs, so it must not hold one`,
      );
    if (value === '') continue;
    lines.push(`${name}=${value}\n`);
  }
  const text = lines.join('');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > DOTENV_MAX_BYTES)
    throw new DotenvError(
      `the dotenv report would be ${bytes} bytes; GitLab accepts at most ${DOTENV_MAX_BYTES}. Shorten the longest values (${longestNames(variables)})`,
    );
  return text;
}

function longestNames(variables: Record<string, string>): string {
  return Object.entries(variables)
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, 3)
    .map(([name, value]) => `${name}: ${value.length} characters`)
    .join(', ');
}

/** Reads a dotenv report back (for tests and for jobs that check what they received). */
export function parseDotenv(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new DotenvError(`line ${index + 1} of the dotenv report is not NAME=value`);
    variables[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return variables;
}
