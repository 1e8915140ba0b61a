// Renders environment variables for the places that read them: a POSIX shell (`eval`), the
// GITHUB_ENV file and GitLab's dotenv report. Values are checked so a line can never smuggle in
// another variable.

export type EnvFormat = 'shell' | 'github' | 'dotenv';

export const ENV_FORMATS: readonly EnvFormat[] = ['shell', 'github', 'dotenv'];

function checkEntry(name: string, value: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`'${name}' is not a valid environment variable name`);
  if (/[\r\n\0]/.test(value))
    throw new Error(`the value of ${name} contains a line break or NUL, which cannot be exported`);
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * One line per variable. Empty values are left out: the job environment computed from the
 * existing one never empties a variable that was set (its sets only grow), so an empty line
 * would only be noise (`export GOPRIVATE=''`).
 */
export function renderEnvLines(env: Record<string, string>, format: EnvFormat): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    checkEntry(name, value);
    if (value === '') continue;
    lines.push(format === 'shell' ? `export ${name}=${shellQuote(value)}` : `${name}=${value}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
